//! The page's components, one per file.

pub mod editor;
pub mod result_view;
pub mod tables_view;

pub use editor::Editor;
pub use result_view::ResultView;
pub use tables_view::TablesView;
