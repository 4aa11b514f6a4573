//! Octos Cloud's in-memory account.

#[derive(Debug, Default)]
pub struct State {}
