//! Standard output for the commands' results. A reader that goes away early (`statebox run
//! ... | head`) ends the program quietly: `println!` would panic on the broken pipe.

use std::fmt;
use std::io::{ErrorKind, Write};

/// Writes `args`, then a newline when `newline`.
pub fn write(args: fmt::Arguments<'_>, newline: bool) {
    let mut out = std::io::stdout().lock();
    let written = out.write_fmt(args).and_then(|()| {
        if newline {
            out.write_all(b"\n")
        } else {
            Ok(())
        }
    });
    if let Err(e) = written {
        if e.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("statebox: cannot write the output: {e}");
        std::process::exit(2);
    }
}

/// `println!` that ends quietly on a broken pipe.
macro_rules! outln {
    () => { $crate::output::write(format_args!(""), true) };
    ($($t:tt)*) => { $crate::output::write(format_args!($($t)*), true) };
}

/// `print!` that ends quietly on a broken pipe.
macro_rules! out {
    ($($t:tt)*) => { $crate::output::write(format_args!($($t)*), false) };
}
