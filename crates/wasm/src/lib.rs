//! JS API.
