//! Which rows of a long list to render: the rows in view plus a margin, and the heights of
//! the spacers above and below them that keep the scroll height right. Pure arithmetic.

/// Finished lists up to this long are rendered whole (tests of small workflows see every
/// row). While a run streams, lists are always windowed: rendering 100 rows at once in one
/// frame costs more than a frame should (Yew attaches each node, then the rows are laid out).
pub const RENDER_ALL_UP_TO: usize = 100;
/// Every row of a windowed list is this tall (the stylesheet fixes it).
pub const ROW_PX: f64 = 26.0;
/// Rows rendered beyond each edge of the view.
pub const MARGIN_ROWS: usize = 6;

/// The rows to render and the spacer heights around them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub start: usize,
    pub end: usize,
    pub above_px: f64,
    pub below_px: f64,
}

/// Whether a list of `total` rows is rendered whole rather than windowed.
pub fn renders_whole(total: usize, streaming: bool) -> bool {
    !streaming && total <= RENDER_ALL_UP_TO
}

/// The window of a list of `total` rows scrolled to `scroll_top` in a view `view_px` tall
/// (all of them when the list is short and not streaming).
pub fn window(total: usize, streaming: bool, scroll_top: f64, view_px: f64) -> Window {
    if renders_whole(total, streaming) {
        return Window {
            start: 0,
            end: total,
            above_px: 0.0,
            below_px: 0.0,
        };
    }
    let shown = (view_px.max(ROW_PX) / ROW_PX).ceil() as usize + 1;
    let first = ((scroll_top.max(0.0) / ROW_PX).floor() as usize).min(total.saturating_sub(shown));
    let start = first.saturating_sub(MARGIN_ROWS).min(total);
    let end = (first + shown + MARGIN_ROWS).min(total);
    let start = start.min(end.saturating_sub(1));
    Window {
        start,
        end,
        above_px: start as f64 * ROW_PX,
        below_px: (total - end) as f64 * ROW_PX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lists_render_whole() {
        let w = window(RENDER_ALL_UP_TO, false, 9_999.0, 100.0);
        assert_eq!((w.start, w.end), (0, RENDER_ALL_UP_TO));
        assert_eq!((w.above_px, w.below_px), (0.0, 0.0));
        // While streaming, even a short list shows only the rows in view.
        let w = window(RENDER_ALL_UP_TO, true, 0.0, 10.0 * ROW_PX);
        assert_eq!((w.start, w.end), (0, 11 + MARGIN_ROWS));
        assert!(!renders_whole(1, true) && renders_whole(1, false));
    }

    #[test]
    fn long_lists_render_the_view_and_a_margin() {
        let w = window(24_000, false, 0.0, 520.0);
        assert_eq!(w.start, 0);
        assert_eq!(w.end, 21 + MARGIN_ROWS);
        assert_eq!(w.below_px, (24_000 - w.end) as f64 * ROW_PX);
        let w = window(24_000, false, 1_000.0 * ROW_PX, 520.0);
        assert_eq!(w.start, 1_000 - MARGIN_ROWS);
        assert_eq!(w.end, 1_000 + 21 + MARGIN_ROWS);
        // The spacers and the rows always add up to the whole list's height.
        let rows = (w.end - w.start) as f64 * ROW_PX;
        assert_eq!(w.above_px + rows + w.below_px, 24_000.0 * ROW_PX);
    }

    #[test]
    fn past_the_end_still_shows_the_last_rows() {
        let w = window(1_000, false, 1e9, 520.0);
        assert_eq!(w.end, 1_000);
        assert_eq!(w.start, 1_000 - 21 - MARGIN_ROWS);
        let w = window(1_000, false, -50.0, 0.0);
        assert_eq!(w.start, 0);
        // Following the end asks for the rows past any scroll position.
        let end = window(1_000, false, f64::INFINITY, 520.0);
        assert_eq!(end, window(1_000, false, 1e9, 520.0));
    }
}
