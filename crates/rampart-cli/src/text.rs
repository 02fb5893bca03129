//! Text for the terminal: whatever a scenario, a CSV or a path holds (a name with an escape
//! sequence that retitles the window or clears the screen, say) is printed with its control
//! characters escaped, so a file can never drive the terminal.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};

/// `s` with every control character but the line feed and the tab escaped as `\u{..}`, and
/// the Unicode bidirectional overrides too (they reorder what the terminal shows).
pub fn safe(s: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.contains(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether the text meant for standard output goes to standard error (standard output carries
/// a stream of events).
static TO_STDERR: AtomicBool = AtomicBool::new(false);

/// From now on, the text meant for standard output goes to standard error.
pub fn to_stderr() {
    TO_STDERR.store(true, Ordering::Relaxed);
}

/// Whether [`to_stderr`] was called.
pub fn on_stderr() -> bool {
    TO_STDERR.load(Ordering::Relaxed)
}

/// `println!` with [`safe`] text (on standard error after [`to_stderr`]).
macro_rules! outln {
    () => {
        if $crate::text::on_stderr() { eprintln!() } else { println!() }
    };
    ($($t:tt)*) => {
        if $crate::text::on_stderr() {
            eprintln!("{}", $crate::text::safe(&format!($($t)*)))
        } else {
            println!("{}", $crate::text::safe(&format!($($t)*)))
        }
    };
}

/// `print!` with [`safe`] text (on standard error after [`to_stderr`]).
macro_rules! out {
    ($($t:tt)*) => {
        if $crate::text::on_stderr() {
            eprint!("{}", $crate::text::safe(&format!($($t)*)))
        } else {
            print!("{}", $crate::text::safe(&format!($($t)*)))
        }
    };
}

/// `eprintln!` with [`safe`] text.
macro_rules! errln {
    ($($t:tt)*) => { eprintln!("{}", $crate::text::safe(&format!($($t)*))) };
}

pub(crate) use {errln, out, outln};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_overrides_are_shown_not_obeyed() {
        let name = "Base\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}x";
        let s = safe(name);
        assert!(!s.chars().any(|c| c.is_control()), "{s}");
        assert_eq!(s, "Base\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{202e}x");
        assert_eq!(safe("a\tb\nc — ok"), "a\tb\nc — ok");
    }
}
