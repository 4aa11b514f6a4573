//! Which reading of the providers the sandbox answers in: the documents' (the default), the same
//! without the endpoints the documents do not show, or the shapes public clients recorded from
//! the live APIs (issue 27's facts; `README.md`, "Shapes").

/// `--shapes document | document-only | live`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Shapes {
    /// The documents' examples, plus Voltage Park's current instant catalogue.
    #[default]
    Document,
    /// The documents' examples only: the current instant catalogue answers 404, so a client's
    /// fallback to the documented (deprecated) endpoints is what runs.
    DocumentOnly,
    /// The shapes recorded from the live APIs wherever they differ from the documents.
    Live,
}

impl Shapes {
    pub fn live(self) -> bool {
        self == Shapes::Live
    }

    /// `GET /api/v1/virtual-machines/instant/locations[/{id}]`, which the document does not show.
    pub fn serves_current_catalogue(self) -> bool {
        self != Shapes::DocumentOnly
    }
}
