//! One batch of event rows, rendered once: appending a batch adds a chunk and leaves the
//! chunks already on the page untouched (their props are the same shared rows).

use super::event_row::event_row;
use crate::events::RawEvent;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub struct EventChunkProps {
    pub rows: Rc<Vec<RawEvent>>,
}

impl PartialEq for EventChunkProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.rows, &other.rows)
    }
}

#[function_component]
pub fn EventChunk(props: &EventChunkProps) -> Html {
    html! { <>{ for props.rows.iter().map(|raw| event_row(&raw.row())) }</> }
}
