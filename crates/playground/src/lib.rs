//! Playground workspace.
