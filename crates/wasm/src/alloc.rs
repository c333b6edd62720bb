//! The wasm build's allocator: Talc, growing the wasm memory geometrically.
//!
//! Each `memory.grow` costs V8 a full garbage collection of the JS heap, and Rust's default
//! wasm allocator (dlmalloc) grows 64 KiB at a time: a run that records 200 MB of history
//! grew memory thousands of times and spent most of its time in V8's collector. Here the
//! memory grows by at least the heap's size so far (it doubles), so a few dozen grows do.
//! The wasm32 build is single-threaded, which `AssumeUnlockable` relies on.

use core::alloc::Layout;
use talc::locking::AssumeUnlockable;
use talc::{OomHandler, Span, Talc, Talck};

/// WebAssembly's page size.
const PAGE: usize = 64 * 1024;
/// The least the memory grows by at a time (1 MiB).
const MIN_GROW_PAGES: usize = 16;

/// Extends Talc's heap when it runs out, doubling it.
pub struct DoublingHandler {
    heap: Span,
}

// SAFETY: the handler only holds the heap's bounds; wasm32 runs on one thread.
unsafe impl Send for DoublingHandler {}

impl OomHandler for DoublingHandler {
    fn handle_oom(talc: &mut Talc<Self>, layout: Layout) -> Result<(), ()> {
        let required = (layout.size() + 8).max(layout.align() * 2).div_ceil(PAGE);
        let heap = talc.oom_handler.heap.size() / PAGE;
        let mut delta = required.max(heap).max(MIN_GROW_PAGES);
        // When the memory cannot double, settle for less, down to what this allocation needs.
        let prev = loop {
            let prev = core::arch::wasm32::memory_grow::<0>(delta);
            if prev != usize::MAX {
                break prev;
            }
            if delta == required {
                return Err(());
            }
            delta = (delta / 2).max(required);
        };
        let base = (prev * PAGE) as *mut u8;
        let acme = base.wrapping_add(delta * PAGE);
        if let Some((old_base, old_acme)) = talc.oom_handler.heap.get_base_acme() {
            if old_acme == base {
                // SAFETY: the grown pages follow the heap directly and belong to no one.
                talc.oom_handler.heap =
                    unsafe { talc.extend(talc.oom_handler.heap, Span::new(old_base, acme)) };
                return Ok(());
            }
        }
        // SAFETY: the new pages are fresh memory that nothing else uses.
        talc.oom_handler.heap = unsafe { talc.claim(Span::new(base, acme)) }?;
        Ok(())
    }
}

#[global_allocator]
static ALLOCATOR: Talck<AssumeUnlockable, DoublingHandler> = Talc::new(DoublingHandler {
    heap: Span::empty(),
})
.lock();
