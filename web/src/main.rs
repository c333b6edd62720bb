//! The Statebox playground page (Yew): a definition and an input, Run and Stop, the
//! execution (status, result, events) and the DynamoDB tables.
//!
//! The page never runs the engine: the page's worker (`./worker.js`) owns the workspace and
//! its IndexedDB store. Layout: [`worker_client`] speaks the worker protocol; [`state`] is
//! the page's pure reducer, with the pure helpers [`document`] (saved document, replies),
//! [`events`] (event rows, append-only log) and [`window`] (which rows of a long list to
//! render); `components/` holds one component per file; [`app`] wires them together.

mod app;
mod components;
mod document;
mod events;
mod flows;
mod items;
mod sample;
mod state;
mod window;
mod worker_client;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
