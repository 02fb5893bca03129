//! The mutations: text operators for scenarios, configurations and CSV files, byte operators
//! for captures and recordings (docs/fuzzing.md, "Mutations").

use proptest::prelude::*;

/// One mutation: an operator and two numbers that choose where and what.
pub type Mutation = (u8, u32, u32);

/// One to four mutations.
pub fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec((0u8..10, any::<u32>(), any::<u32>()), 1..=4)
}

/// Values that have broken numeric code elsewhere.
const NUMBERS: [&str; 18] = [
    "0",
    "-0",
    "-1",
    "1e-9",
    "1e-300",
    "1e308",
    "-1e308",
    "1e20",
    "99999999999999999999",
    "nan",
    "inf",
    "-inf",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "0.5",
    "1e3",
    "3",
];
/// Units right, wrong and made up.
const UNITS: [&str; 16] = [
    "m", "km", "s", "ms", "ns", "h", "d", "deg", "rad", "m/s", "Mach", "kg", "g", "dBsm", "sec",
    "parsec",
];
/// Tokens that confuse parsers.
const TOKENS: [&str; 16] = [
    "[",
    "]]",
    "=",
    "\"",
    "\n[[raid]]\n",
    "\u{1b}[2J",
    "\0",
    "#",
    "'''",
    "{",
    "}",
    ",",
    "\\u0000",
    "\u{202e}",
    "\n[[fire_unit.launchers]]\n",
    "\r\n",
];

/// 32-bit values that break length and count fields.
const WORDS: [u32; 8] = [
    0,
    1,
    0x7FFF_FFFF,
    0xFFFF_FFFF,
    0xFFFF,
    0x1_0000,
    3,
    0x8000_0000,
];

/// Applies `muts` to the binary `bytes`: a byte set or flipped, a run deleted or repeated, the
/// file cut short, or a 16- or 32-bit field (either byte order) set to a value that breaks
/// lengths and counts.
pub fn mutate_binary(bytes: &[u8], muts: &[Mutation]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    for &(op, x, y) in muts {
        if b.is_empty() {
            break;
        }
        let (x, y) = (x as usize % b.len(), y as usize);
        match op {
            0 | 1 => b[x] = y as u8,
            2 | 3 => b[x] ^= 1 << (y % 8),
            4 => {
                let end = (x + 1 + y % 64).min(b.len());
                b.drain(x..end);
            }
            5 => {
                let end = (x + 1 + y % 64).min(b.len());
                let run = b[x..end].to_vec();
                b.splice(x..x, run);
            }
            6 => b.truncate(x),
            7 => {
                let w = WORDS[y % WORDS.len()];
                let bytes = if (y / WORDS.len()).is_multiple_of(2) {
                    w.to_le_bytes()
                } else {
                    w.to_be_bytes()
                };
                for (i, v) in bytes.iter().enumerate() {
                    if let Some(c) = b.get_mut(x + i) {
                        *c = *v;
                    }
                }
            }
            _ => {
                let v = (WORDS[y % WORDS.len()] as u16).to_be_bytes();
                for (i, c) in v.iter().enumerate() {
                    if let Some(d) = b.get_mut(x + i) {
                        *d = *c;
                    }
                }
            }
        }
    }
    b
}

/// Applies `muts` to `text`.
pub fn mutate(text: &[u8], muts: &[Mutation]) -> Vec<u8> {
    let mut b = text.to_vec();
    for &(op, x, y) in muts {
        let (x, y) = (x as usize, y as usize);
        match op {
            0 => replace_token(
                &mut b,
                x,
                |prev, c| {
                    c.is_ascii_digit()
                        && !prev.is_some_and(|p| p.is_ascii_alphanumeric() || p == b'_')
                },
                is_number_byte,
                NUMBERS[y % NUMBERS.len()],
            ),
            1 => replace_token(
                &mut b,
                x,
                |prev, c| {
                    c.is_ascii_alphabetic() && prev.is_some_and(|p| p == b' ' || p.is_ascii_digit())
                },
                |c| c.is_ascii_alphabetic() || c == b'/' || c == b'^',
                UNITS[y % UNITS.len()],
            ),
            2..=4 => {
                let mut lines: Vec<Vec<u8>> =
                    b.split(|c| *c == b'\n').map(<[u8]>::to_vec).collect();
                let n = lines.len();
                if n > 1 {
                    match op {
                        2 => {
                            lines.remove(x % n);
                        }
                        3 => {
                            let l = lines[x % n].clone();
                            lines.insert(y % n, l);
                        }
                        _ => lines.swap(x % n, y % n),
                    }
                }
                b = lines.join(&b'\n');
            }
            5 => {
                let at = if b.is_empty() { 0 } else { x % b.len() };
                let t = TOKENS[y % TOKENS.len()].as_bytes();
                b.splice(at..at, t.iter().copied());
            }
            6 => {
                if !b.is_empty() {
                    let at = x % b.len();
                    b[at] = y as u8;
                }
            }
            7 => b.truncate(if b.is_empty() { 0 } else { x % b.len() }),
            8 => {
                // A quoted value made long: 10 to 100,000 characters.
                if let Some(at) = nth_position(&b, x, |c| c == b'"') {
                    let long = "x".repeat(10usize.pow(1 + (y % 5) as u32));
                    b.splice(at + 1..at + 1, long.bytes());
                }
            }
            _ => {
                // A line's key replaced by another line's key.
                let text = String::from_utf8_lossy(&b).into_owned();
                let keys: Vec<&str> = text
                    .lines()
                    .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
                    .filter(|k| !k.is_empty() && !k.starts_with('#'))
                    .collect();
                if keys.len() > 1 {
                    let (from, to) = (keys[x % keys.len()], keys[y % keys.len()]);
                    b = text
                        .replacen(&format!("{from} ="), &format!("{to} ="), 1)
                        .into_bytes();
                }
            }
        }
    }
    b
}

fn is_number_byte(c: u8) -> bool {
    c.is_ascii_digit() || c == b'.' || c == b'e' || c == b'-' || c == b'+'
}

/// The position of the `n`-th (mod their count) byte matching `pred`.
fn nth_position(b: &[u8], n: usize, pred: impl Fn(u8) -> bool) -> Option<usize> {
    let count = b.iter().filter(|c| pred(**c)).count();
    if count == 0 {
        return None;
    }
    b.iter()
        .enumerate()
        .filter(|(_, c)| pred(**c))
        .nth(n % count)
        .map(|(i, _)| i)
}

/// Replaces the `n`-th token: a byte accepted by `start` (given the byte before it) and the run
/// of bytes accepted by `cont` after it.
fn replace_token(
    b: &mut Vec<u8>,
    n: usize,
    start: impl Fn(Option<u8>, u8) -> bool,
    cont: impl Fn(u8) -> bool,
    with: &str,
) {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let prev = i.checked_sub(1).map(|j| b[j]);
        if start(prev, b[i]) {
            let s = i;
            i += 1;
            while i < b.len() && cont(b[i]) {
                i += 1;
            }
            runs.push(s..i);
        } else {
            i += 1;
        }
    }
    if !runs.is_empty() {
        let r = runs[n % runs.len()].clone();
        b.splice(r, with.bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_are_repeatable_and_change_the_text() {
        let text = b"range_max = \"170 km\"\nrevisit = \"2 s\"\n";
        let a = mutate(text, &[(0, 1, 5)]);
        assert_eq!(a, mutate(text, &[(0, 1, 5)]));
        assert_eq!(
            String::from_utf8_lossy(&a),
            "range_max = \"170 km\"\nrevisit = \"1e308 s\"\n"
        );
        let u = mutate(text, &[(1, 0, 2)]);
        assert_ne!(u, text.to_vec());
    }

    #[test]
    fn binary_mutations_are_repeatable_and_bounded() {
        let bytes: Vec<u8> = (0..200u8).collect();
        let muts = [(7, 10, 3), (4, 50, 9), (5, 0, 70), (6, 150, 0)];
        let a = mutate_binary(&bytes, &muts);
        assert_eq!(a, mutate_binary(&bytes, &muts));
        assert_ne!(a, bytes);
        // A 32-bit field set little-endian to 0xFFFFFFFF.
        assert_eq!(mutate_binary(&bytes, &[(7, 4, 3)])[4..8], [0xFF; 4]);
        assert!(mutate_binary(&[], &muts).is_empty());
    }
}
