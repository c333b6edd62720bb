//! The `Events` table of a run, in a scrolling box. A finished run of up to 100 events has
//! every row on the page (one chunk component per batch); otherwise only the rows in view
//! plus a margin, between two spacer rows that keep the scroll height. While the box is scrolled to the
//! end it follows new events, as `tail -f` does; scrolling up stops that.

use super::event_chunk::EventChunk;
use super::event_row::event_row;
use crate::events::EventLog;
use crate::window::{renders_whole, window, ROW_PX};
use gloo::render::{request_animation_frame, AnimationFrame};
use web_sys::HtmlElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EventsTableProps {
    pub events: EventLog,
    /// The run is still going (rows are windowed however few there are yet).
    #[prop_or_default]
    pub streaming: bool,
}

fn spacer(px: f64) -> Html {
    if px <= 0.0 {
        return html! {};
    }
    html! {
        <tr class="spacer" aria-hidden="true" style={format!("height: {px}px")}>
            <td colspan="4"></td>
        </tr>
    }
}

#[function_component]
pub fn EventsTable(props: &EventsTableProps) -> Html {
    let scroller = use_node_ref();
    let scroll_top = use_state_eq(|| 0.0_f64);
    let view_px = use_state_eq(|| 480.0_f64);
    // Whether the box follows new rows, and for which run.
    let follow = use_mut_ref(|| (true, props.events.run()));
    // Where following last put the box: a scroll event at or below it is ours (or further
    // down), not the person scrolling up.
    let auto_top = use_mut_ref(|| 0.0_f64);

    if follow.borrow().1 != props.events.run() {
        *follow.borrow_mut() = (true, props.events.run());
        *auto_top.borrow_mut() = 0.0;
    }

    // Follow the end: once per frame however many batches came (reading the scroll height
    // lays the page out, which the frame does anyway).
    let frame = use_mut_ref(|| None::<AnimationFrame>);
    {
        let scroller = scroller.clone();
        let follow = follow.clone();
        let frame = frame.clone();
        let auto_top = auto_top.clone();
        use_effect_with(props.events.clone(), move |_| {
            if follow.borrow().0 && frame.borrow().is_none() {
                let pending = frame.clone();
                *frame.borrow_mut() = Some(request_animation_frame(move |_| {
                    pending.borrow_mut().take();
                    if let Some(el) = scroller.cast::<HtmlElement>() {
                        el.set_scroll_top(el.scroll_height());
                        *auto_top.borrow_mut() = el.scroll_top() as f64;
                    }
                }));
            }
        });
    }
    // The view's height, measured once it is on the page (then on every scroll).
    {
        let scroller = scroller.clone();
        let view_px = view_px.clone();
        use_effect_with((), move |_| {
            if let Some(el) = scroller.cast::<HtmlElement>() {
                view_px.set(el.client_height() as f64);
            }
        });
    }

    let on_scroll = {
        let scroller = scroller.clone();
        let scroll_top = scroll_top.clone();
        let view_px = view_px.clone();
        let follow = follow.clone();
        let auto_top = auto_top.clone();
        Callback::from(move |_: Event| {
            let Some(el) = scroller.cast::<HtmlElement>() else {
                return;
            };
            let top = el.scroll_top() as f64;
            let height = el.client_height() as f64;
            let at_end = top + height >= el.scroll_height() as f64 - ROW_PX * 1.5;
            follow.borrow_mut().0 = at_end || top >= *auto_top.borrow() - 1.0;
            scroll_top.set(top);
            view_px.set(height);
        })
    };

    let events = &props.events;
    let body = if renders_whole(events.len(), props.streaming) {
        html! {
            { for events.chunks().iter().enumerate().map(|(i, rows)| html! {
                <EventChunk key={i} rows={rows.clone()} />
            }) }
        }
    } else {
        // Following the end: render the last rows now, not the rows where the box was
        // before this frame's scroll to the end (which would render the rows twice).
        let top = if follow.borrow().0 {
            f64::INFINITY
        } else {
            *scroll_top
        };
        let w = window(events.len(), props.streaming, top, *view_px);
        html! {
            <>
                { spacer(w.above_px) }
                { for events.range(w.start, w.end).map(|raw| event_row(&raw.row())) }
                { spacer(w.below_px) }
            </>
        }
    };
    html! {
        <div class="events-scroll" ref={scroller} onscroll={on_scroll}>
            <table class="events" aria-label="Events" aria-rowcount={(events.len() + 1).to_string()}>
                <thead>
                    <tr><th class="id">{ "#" }</th><th class="type">{ "Type" }</th>
                        <th class="state">{ "State" }</th><th class="details">{ "Details" }</th></tr>
                </thead>
                <tbody>{ body }</tbody>
            </table>
        </div>
    }
}
