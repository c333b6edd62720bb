//! `cargo xtask bench browser`: the JS module and the page in headless Chromium.

pub fn run(_args: &[String]) -> Result<(), String> {
    Err("not yet".into())
}
