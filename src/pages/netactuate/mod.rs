//! NetActuate pages that are not about secrets: its servers.

mod servers_page;

pub use servers_page::NetActuateServersPage;
