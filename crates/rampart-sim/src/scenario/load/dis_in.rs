//! `[dis]`: the identifiers of the run's DIS output; `[dis_in]` and `[[dis_in.entity]]`: which
//! entities of a DIS exercise fly in the run as threats, when it is given one (`rampart run
//! --dis-in`, docs/interop.md).

use super::quantities::Bound;
use super::{Ctx, Result, Table, key, or};
use crate::scenario::keys::KeyDoc;
use crate::scenario::keys::Text::{Is, Made};
use crate::scenario::keys::docs_default;
use crate::scenario::model::{DisIds, DisIn, DisInEntity, Scenario};
use crate::scenario::raw::{RawDis, RawDisIn};
use crate::stages::feed::{DEFAULT_TIMEOUT_S, default_timeout};
use serde_spanned::Spanned;

/// The most `[[dis_in.entity]]` entries.
const MAX_ENTITIES: usize = 1_000;
/// The longest time-out, s.
const MAX_TIMEOUT_S: f64 = 3_600.0;
/// The largest value of each field of an entity type: kind, domain, country (16 bits),
/// category, subcategory, specific, extra.
const FIELD_MAX: [u16; 7] = [255, 255, 65_535, 255, 255, 255, 255];

impl Ctx<'_> {
    /// `[dis]` (no table: 1, 1, 1).
    pub(super) fn dis(&self, table: Option<&Spanned<RawDis>>) -> Result<DisIds> {
        let mut ids = DisIds::default();
        let Some(table) = table else {
            return Ok(ids);
        };
        let r = table.get_ref();
        let id = |value: &Option<_>, name: &'static str, max: i64, default: u16| -> Result<u16> {
            or(key(value, name), default, |k| {
                let x = self.integer(k, 1)?;
                if x > max {
                    return Err(self
                        .error(k.span(), format!("{name} must be at most {max}, found {x}"))
                        .with_label("out of range"));
                }
                Ok(u16::try_from(x).unwrap_or(default))
            })
        };
        ids.exercise = u8::try_from(id(&r.exercise, "exercise", 255, 1)?).unwrap_or(1);
        ids.site = id(&r.site, "site", 65_534, 1)?;
        ids.application = id(&r.application, "application", 65_534, 1)?;
        Ok(ids)
    }

    /// `[dis_in]`, given the threat types it maps to (no table: none).
    pub(super) fn dis_in(
        &self,
        table: Option<&Spanned<RawDisIn>>,
        sc: &Scenario,
    ) -> Result<Option<DisIn>> {
        let Some(table) = table else {
            return Ok(None);
        };
        let r = table.get_ref();
        let exercise = match key(&r.exercise, "exercise") {
            None => None,
            Some(k) => {
                let x = self.integer(k, 1)?;
                Some(u8::try_from(x).map_err(|_| {
                    self.error(k.span(), format!("exercise must be at most 255, found {x}"))
                        .with_label("out of range")
                })?)
            }
        };
        let timeout = or(key(&r.timeout, "timeout"), default_timeout(), |k| {
            self.duration(k, Bound::closed(0.1, MAX_TIMEOUT_S))
        })?;
        let list = r.entity.as_ref();
        let t = Table {
            title: "[dis_in]".into(),
            span: table.span(),
        };
        let Some(list) = list.filter(|l| !l.get_ref().is_empty()) else {
            return Err(self.missing("entity", &t).with_help(
                "map each DIS entity type to a threat type: [[dis_in.entity]] entity_type = \"2.11.0.1\", threat_type = \"…\"",
            ));
        };
        if list.get_ref().len() > MAX_ENTITIES {
            return Err(self
                .error(
                    list.span(),
                    format!("more than {MAX_ENTITIES} [[dis_in.entity]] entries"),
                )
                .with_label("too many"));
        }
        let mut entities = Vec::new();
        for (i, e) in list.get_ref().iter().enumerate() {
            let t = Table {
                title: format!("[[dis_in.entity]] #{}", i + 1),
                span: e.span(),
            };
            let raw = e.get_ref();
            let ty = self.need(&raw.entity_type, "entity_type", &t)?;
            let entity_type = self.entity_type(ty)?;
            if entities
                .iter()
                .any(|x: &DisInEntity| x.entity_type == entity_type)
            {
                return Err(self
                    .error(ty.span(), "this entity type is mapped already")
                    .with_label("a second entry"));
            }
            let name = self.need(&raw.threat_type, "threat_type", &t)?;
            let threat_type = self.index_of(
                name,
                "threat type",
                "no [threat_type] of this name",
                sc.threat_types.iter().map(|x| x.name.as_str()),
            )?;
            entities.push(DisInEntity {
                entity_type,
                threat_type,
            });
        }
        Ok(Some(DisIn {
            exercise,
            timeout,
            entities,
        }))
    }

    /// A DIS entity type written `kind.domain.country.category…`: one to seven whole numbers
    /// within their fields, separated by dots (or colons).
    fn entity_type(&self, s: &Spanned<String>) -> Result<Vec<u16>> {
        let text = s.get_ref().trim();
        let bad = |why: String| {
            self.error(s.span(), why)
                .with_label("not an entity type")
                .with_help("write the leading fields of a SISO-REF-010 entity type, kind.domain.country.category…, e.g. \"2.11.0.1\"")
        };
        let parts: Vec<&str> = text.split(['.', ':']).collect();
        if text.is_empty() || parts.len() > FIELD_MAX.len() {
            return Err(bad(format!(
                "an entity type has one to seven fields, found {}",
                if text.is_empty() { 0 } else { parts.len() }
            )));
        }
        parts
            .iter()
            .zip(FIELD_MAX)
            .map(|(p, max)| {
                p.trim()
                    .parse::<u16>()
                    .ok()
                    .filter(|v| *v <= max)
                    .ok_or_else(|| {
                        bad(format!(
                            "`{}` is not a whole number from 0 to {max}",
                            p.trim()
                        ))
                    })
            })
            .collect()
    }
}

/// `[dis]`: the rows of its key table in docs/scenario-format.md.
pub static DIS: &[KeyDoc] = &[
    KeyDoc {
        key: "exercise",
        required: Is("no"),
        kind: Is("whole number"),
        default: Is("`1`"),
        allowed: Is("[1, 255]"),
        meaning: Is(
            "The exercise identifier of every PDU the run sends or records (`--dis-exercise` overrides it).",
        ),
        value: None,
    },
    KeyDoc {
        key: "site",
        required: Is("no"),
        kind: Is("whole number"),
        default: Is("`1`"),
        allowed: Is("[1, 65534]"),
        meaning: Is(
            "The site identifier of every entity and event the run sends (`--dis-site` overrides it).",
        ),
        value: None,
    },
    KeyDoc {
        key: "application",
        required: Is("no"),
        kind: Is("whole number"),
        default: Is("`1`"),
        allowed: Is("[1, 65534]"),
        meaning: Is(
            "The application identifier of every entity and event the run sends (`--dis-application` overrides it).",
        ),
        value: None,
    },
];

/// `[dis_in]`: the rows of its key table in docs/scenario-format.md.
pub static DIS_IN: &[KeyDoc] = &[
    KeyDoc {
        key: "exercise",
        required: Is("no"),
        kind: Is("whole number"),
        default: Is("any"),
        allowed: Is("[1, 255]"),
        meaning: Is("The DIS exercise listened to; PDUs of other exercises are ignored."),
        value: None,
    },
    KeyDoc {
        key: "timeout",
        required: Is("no"),
        kind: Is("time"),
        default: Made(|| docs_default(DEFAULT_TIMEOUT_S, 1.0, "s")),
        allowed: Made(|| format!("[0.1 s, {} h]", MAX_TIMEOUT_S / 3_600.0)),
        meaning: Is(
            "An entity silent this long has left the exercise: it ends where dead reckoning has taken it (an impact within 50 m of the ground, else a `removed` event). The default is the standard's entity-state time-out, the 5 s heartbeat times 2.4.",
        ),
        value: None,
    },
    KeyDoc {
        key: "entity",
        required: Is("yes"),
        kind: Is("array of tables"),
        default: Is("—"),
        allowed: Made(|| format!("see `[[dis_in.entity]]`; at most {MAX_ENTITIES}")),
        meaning: Is("Which entity types become which threat types."),
        value: None,
    },
];

/// `[[dis_in.entity]]`: the rows of its key table in docs/scenario-format.md.
pub static DIS_IN_ENTITY: &[KeyDoc] = &[
    KeyDoc {
        key: "entity_type",
        required: Is("yes"),
        kind: Is("string"),
        default: Is("—"),
        allowed: Is(
            "one to seven whole numbers separated by dots: kind [0, 255], domain [0, 255], country [0, 65535], category, subcategory, specific, extra [0, 255]; each entry's different",
        ),
        meaning: Is(
            "The leading fields of the SISO-REF-010 entity types this entry takes (`\"2.11.0.1\"`: every munition of domain 11, country 0, category 1). An entity takes the entry that matches most of its fields; entities no entry matches are ignored.",
        ),
        value: None,
    },
    KeyDoc {
        key: "threat_type",
        required: Is("yes"),
        kind: Is("string"),
        default: Is("—"),
        allowed: Is("a `[threat_type.NAME]` name"),
        meaning: Is(
            "The threat type the entities become: their radar cross-section and Swerling case, vulnerable area and class (for threat evaluation) are its own; their flight is the feed's.",
        ),
        value: None,
    },
];
