//! The page's components, one per file.

pub mod alert_banner;
pub mod editor;
pub mod event_chunk;
pub mod event_row;
pub mod events_table;
pub mod execution_panel;
pub mod panel_tabs;
pub mod top_bar;

pub use alert_banner::AlertBanner;
pub use editor::Editor;
pub use execution_panel::ExecutionPanel;
pub use panel_tabs::PanelTabs;
pub use top_bar::TopBar;
