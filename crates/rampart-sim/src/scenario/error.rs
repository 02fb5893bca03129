//! [`ScenarioError`]: what is wrong with a scenario file, and where.
//!
//! An error keeps the file name, the whole source text and a byte span into it, so it can be
//! shown on one line (`file:line:col: message`, its [`Display`](std::fmt::Display)) or as a
//! rustc-style snippet with the offending text underlined ([`ScenarioError::render`]).

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use std::fmt;
use std::ops::Range;

/// Why a scenario file could not be loaded: a message, and where in which file.
///
/// Boxed inside so that `Result<Scenario, ScenarioError>` stays small.
#[derive(Clone, Debug, thiserror::Error)]
pub struct ScenarioError(Box<Details>);

#[derive(Clone, Debug)]
struct Details {
    file: String,
    source_text: String,
    message: String,
    span: Option<Range<usize>>,
    label: Option<String>,
    help: Option<String>,
    warning: bool,
}

impl ScenarioError {
    /// An error in `file`, whose text is `source_text`, with no position yet.
    pub fn new(
        file: impl Into<String>,
        source_text: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self(Box::new(Details {
            file: file.into(),
            source_text: source_text.into(),
            message: capped(message.into()),
            span: None,
            label: None,
            help: None,
            warning: false,
        }))
    }

    /// Points the error at a byte range of the source text.
    pub fn with_span(mut self, span: Range<usize>) -> Self {
        self.0.span = Some(span);
        self
    }

    /// Adds a short label shown under the underlined text.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.0.label = Some(capped(label.into()));
        self
    }

    /// Renders as a warning rather than an error.
    pub fn as_warning(mut self) -> Self {
        self.0.warning = true;
        self
    }

    /// Adds a help line (a did-you-mean, the allowed values).
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.0.help = Some(capped(help.into()));
        self
    }

    /// The file name as given to the loader.
    pub fn file(&self) -> &str {
        &self.0.file
    }

    /// The text of the file (empty when it could not be read, or only the part before the first
    /// byte that is not text).
    pub fn source_text(&self) -> &str {
        &self.0.source_text
    }

    /// What is wrong, in one sentence.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The byte range of the source text the error is about, if any.
    pub fn span(&self) -> Option<Range<usize>> {
        self.0.span.clone()
    }

    /// The label under the underlined text, if any.
    pub fn label(&self) -> Option<&str> {
        self.0.label.as_deref()
    }

    /// The help line, if any.
    pub fn help(&self) -> Option<&str> {
        self.0.help.as_deref()
    }

    /// The 1-based line and column (in characters) where the error's span starts.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let src = &self.0.source_text;
        let start = floor_char_boundary(src, self.0.span.as_ref()?.start);
        let before = &src[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Some((line, col))
    }

    /// The span clamped to the source text and to character boundaries.
    fn clamped_span(&self) -> Option<Range<usize>> {
        let src = &self.0.source_text;
        let span = self.0.span.as_ref()?;
        let start = floor_char_boundary(src, span.start);
        let end = ceil_char_boundary(src, span.end.max(start));
        Some(start..end)
    }

    /// The error as a rustc-style report: the message, the file, line and column, the source
    /// line(s) with the span underlined and labelled, and the help line.
    pub fn render(&self) -> String {
        let d = &*self.0;
        let level = if d.warning {
            Level::WARNING
        } else {
            Level::ERROR
        };
        let title = level.primary_title(d.message.as_str());
        let report = match self.clamped_span() {
            Some(span) if !d.source_text.is_empty() && !self.line_too_long(&span) => title.element(
                Snippet::source(d.source_text.as_str())
                    .path(d.file.as_str())
                    .annotation(AnnotationKind::Primary.span(span).label(d.label.as_deref())),
            ),
            _ => {
                let mut origin = Origin::path(d.file.as_str());
                if let Some((line, col)) = self.line_col() {
                    origin = origin.line(line).char_column(col);
                }
                title.element(origin)
            }
        };
        let mut groups = vec![report];
        if let Some(help) = &d.help {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        Renderer::plain().render(&groups)
    }
}

impl fmt::Display for ScenarioError {
    /// `file:line:col: message`, or `file: message` when the error has no position.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line_col() {
            Some((line, col)) => write!(f, "{}:{line}:{col}: {}", self.0.file, self.0.message),
            None => write!(f, "{}: {}", self.0.file, self.0.message),
        }
    }
}

/// The largest character boundary of `s` at or before `i` (clamped to `s.len()`).
impl ScenarioError {
    /// Whether the line holding `span` is too long to show whole: a snippet of a 10 MB line
    /// would repeat all of it.
    fn line_too_long(&self, span: &Range<usize>) -> bool {
        let src = &self.0.source_text;
        let start = src[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let end = src[span.start..]
            .find('\n')
            .map_or(src.len(), |i| span.start + i);
        end - start > MAX_SNIPPET_LINE
    }
}

/// The longest line shown in a snippet, bytes; a longer one is named by line and column only.
const MAX_SNIPPET_LINE: usize = 400;
/// The longest message, label or help kept, characters.
const MAX_TEXT: usize = 600;

/// `text` cut to [`MAX_TEXT`] characters.
fn capped(text: String) -> String {
    match text.char_indices().nth(MAX_TEXT) {
        None => text,
        Some((i, _)) => format!("{}…", &text[..i]),
    }
}

fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest character boundary of `s` at or after `i` (clamped to `s.len()`).
fn ceil_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_form_and_snippet_point_at_the_span() {
        let src = "[scenario]\nname = \"x\"\nradius = 1500\n";
        let start = src.find("1500").unwrap();
        let e = ScenarioError::new("s.toml", src, "radius needs a unit")
            .with_span(start..start + 4)
            .with_label("add a unit")
            .with_help("write \"1500 m\"");
        assert_eq!(e.line_col(), Some((3, 10)));
        assert_eq!(e.to_string(), "s.toml:3:10: radius needs a unit");
        let r = e.render();
        assert!(r.contains("error: radius needs a unit"), "{r}");
        assert!(r.contains("s.toml:3:10"), "{r}");
        assert!(r.contains("^^^^ add a unit"), "{r}");
        assert!(r.contains("help: write \"1500 m\""), "{r}");
    }

    #[test]
    fn odd_spans_never_panic() {
        let src = "é = 1\n";
        #[allow(clippy::reversed_empty_ranges)]
        let spans = [0..0, 1..2, 0..100, 100..200, 5..1];
        for span in spans {
            let e = ScenarioError::new("f", src, "m").with_span(span);
            let _ = e.render();
            let _ = e.line_col();
        }
        let e = ScenarioError::new("f", "", "empty").with_span(0..0);
        assert_eq!(e.line_col(), Some((1, 1)));
        assert!(e.render().contains("f:1:1"), "{}", e.render());
        let e = ScenarioError::new("f", "", "unreadable");
        assert_eq!(e.to_string(), "f: unreadable");
        assert!(e.render().contains("--> f"), "{}", e.render());
    }
}
