//! Building the Wait, Fail, Parallel and Map specific fields (Map: processor, items,
//! selector, concurrency, tolerated failures, label, Distributed-only fields).

use super::build::{is_jsonata_expr, Builder};
use super::fields;
use super::model::*;
use crate::diagnostic::{codes, pointer_join, Diagnostic};
use crate::intrinsics::{looks_like_intrinsic, Intrinsic};
use serde_json::{Map, Value};
use std::sync::Arc;

impl Builder {
    pub(super) fn wait(&mut self, obj: &Map<String, Value>, ptr: &str) -> WaitState {
        self.wait_fields(obj, ptr)
            .unwrap_or(WaitState::Seconds(0.0))
    }

    fn wait_fields(&mut self, obj: &Map<String, Value>, ptr: &str) -> Option<WaitState> {
        let present: Vec<&str> = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]
            .into_iter()
            .filter(|f| obj.contains_key(*f))
            .collect();
        if present.len() != 1 {
            self.schema(ptr, "A Wait state must contain exactly one of [Seconds, SecondsPath, Timestamp, TimestampPath]");
            return Some(WaitState::Seconds(0.0));
        }
        let f = present[0];
        let fptr = pointer_join(ptr, f);
        let v = obj.get(f).cloned().unwrap_or(Value::Null);
        if is_jsonata_expr(&v) {
            let name = if f == "Seconds" {
                "Seconds"
            } else {
                "Timestamp"
            };
            return Some(WaitState::Expr(name, self.field(&v, &fptr, name)));
        }
        Some(match f {
            "Seconds" => match v.as_f64().filter(|n| *n >= 0.0 && n.fract() == 0.0) {
                Some(n) => WaitState::Seconds(n),
                None => {
                    self.schema(
                        &fptr,
                        "The value of the field 'Seconds' must be a non-negative integer",
                    );
                    WaitState::Seconds(0.0)
                }
            },
            "Timestamp" => match v.as_str() {
                Some(s) if crate::timestamp::parse_timestamp(s).is_some() => {
                    WaitState::Timestamp(s.to_string())
                }
                _ => {
                    self.schema(&fptr, "The value of the field 'Timestamp' must be an ISO-8601 extended offset date-time format string");
                    WaitState::Seconds(0.0)
                }
            },
            _ => {
                let Some(s) = v.as_str() else {
                    self.schema(
                        &fptr,
                        format!("The value of the field '{f}' must be a string"),
                    );
                    return Some(WaitState::Seconds(0.0));
                };
                let p = self.parse_path(&fptr, f, s, true)?;
                if f == "SecondsPath" {
                    WaitState::SecondsPath(p)
                } else {
                    WaitState::TimestampPath(p)
                }
            }
        })
    }

    pub(super) fn string_source(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        f: &str,
    ) -> Option<StringSource> {
        let pf = format!("{f}Path");
        match (obj.get(f), obj.get(&pf)) {
            (Some(_), Some(_)) => {
                self.schema(
                    ptr,
                    format!("The fields '{f}' and '{pf}' cannot both be set"),
                );
                None
            }
            (Some(v), None) if is_jsonata_expr(v) => {
                Some(StringSource::Expr(self.field(v, &pointer_join(ptr, f), f)))
            }
            (Some(_), None) => self.opt_string(obj, ptr, f).map(StringSource::Literal),
            (None, Some(Value::String(s))) => {
                let fptr = pointer_join(ptr, &pf);
                if looks_like_intrinsic(s) {
                    match Intrinsic::parse(s) {
                        Ok(i) => Some(StringSource::Intrinsic(i)),
                        Err(e) => {
                            self.schema(&fptr, format!("The value for the field '{pf}' must be a valid intrinsic function: {e}"));
                            None
                        }
                    }
                } else {
                    self.parse_path(&fptr, &pf, s, false)
                        .map(StringSource::Path)
                }
            }
            (None, Some(_)) => {
                self.schema(
                    &pointer_join(ptr, &pf),
                    format!("The value of the field '{pf}' must be a string"),
                );
                None
            }
            (None, None) => None,
        }
    }

    pub(super) fn fail(&mut self, obj: &Map<String, Value>, ptr: &str) -> FailState {
        FailState {
            error: self.string_source(obj, ptr, "Error"),
            cause: self.string_source(obj, ptr, "Cause"),
        }
    }

    pub(super) fn parallel(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        depth: usize,
        ql: QueryLanguage,
    ) -> ParallelState {
        let mut st = ParallelState::default();
        let bptr = pointer_join(ptr, "Branches");
        match obj.get("Branches") {
            Some(Value::Array(items)) if !items.is_empty() => {
                for (i, b) in items.iter().enumerate() {
                    let iptr = format!("{bptr}/{i}");
                    match b.as_object() {
                        Some(o) => {
                            self.unknown_fields(o, &iptr, &["Comment", "StartAt", "States"]);
                            st.branches
                                .push(Arc::new(self.block(o, &iptr, depth + 1, ql)));
                        }
                        None => self.schema(&iptr, "A branch must be an object"),
                    }
                }
            }
            Some(_) => self.schema(&bptr, "The field 'Branches' must be a non-empty array"),
            None => self.schema(ptr, "These fields are required: [Branches]"),
        }
        st
    }

    pub(super) fn map(
        &mut self,
        obj: &Map<String, Value>,
        ptr: &str,
        depth: usize,
        ql: QueryLanguage,
        has_parameters: bool,
    ) -> MapState {
        let (pfield, processor) = match (obj.get("ItemProcessor"), obj.get("Iterator")) {
            (Some(_), Some(_)) => {
                self.schema(
                    ptr,
                    "The fields 'ItemProcessor' and 'Iterator' cannot both be set",
                );
                ("ItemProcessor", obj.get("ItemProcessor"))
            }
            (Some(p), None) => ("ItemProcessor", Some(p)),
            (None, Some(p)) => ("Iterator", Some(p)),
            (None, None) => {
                self.schema(ptr, "These fields are required: [ItemProcessor]");
                ("ItemProcessor", None)
            }
        };
        let pptr = pointer_join(ptr, pfield);
        let mut list = StateList::default();
        if let Some(p) = processor {
            match p.as_object() {
                Some(o) => {
                    self.unknown_fields(o, &pptr, fields::BLOCK);
                    list = self.block(o, &pptr, depth + 1, ql);
                    list.processor_mode = match o.get("ProcessorConfig") {
                        None => None,
                        Some(cfg) => match cfg.get("Mode").and_then(Value::as_str) {
                            Some("DISTRIBUTED") => Some(ProcessorMode::Distributed),
                            Some("INLINE") | None => Some(ProcessorMode::Inline),
                            Some(other) => {
                                self.schema(&format!("{pptr}/ProcessorConfig/Mode"), format!("The value of the field 'Mode' must be one of [INLINE, DISTRIBUTED] but was '{other}'"));
                                None
                            }
                        },
                    };
                }
                None => self.schema(
                    &pptr,
                    format!("The value of the field '{pfield}' must be an object"),
                ),
            }
        }
        let (item_selector, selector) = if ql == QueryLanguage::JSONPath {
            (self.template(obj, ptr, "ItemSelector"), None)
        } else {
            let selector = obj
                .get("ItemSelector")
                .map(|v| self.field(v, &pointer_join(ptr, "ItemSelector"), "ItemSelector"));
            (None, selector)
        };
        let items = match obj.get("Items") {
            Some(v) if ql == QueryLanguage::JSONata => {
                Some(self.field(v, &pointer_join(ptr, "Items"), "Items"))
            }
            _ => None,
        };
        if (item_selector.is_some() || selector.is_some()) && has_parameters {
            self.schema(
                ptr,
                "The fields 'ItemSelector' and 'Parameters' cannot both be set",
            );
        }
        let items_path = if ql == QueryLanguage::JSONPath {
            self.path_field(obj, ptr, "ItemsPath", true)
        } else {
            PathField::Default
        };
        let max_concurrency = self.number_source(obj, ptr, "MaxConcurrency", 0.0, true);
        let tolerated_failure_count =
            self.number_source(obj, ptr, "ToleratedFailureCount", 0.0, true);
        let tolerated_failure_percentage =
            match self.number_source(obj, ptr, "ToleratedFailurePercentage", 0.0, false) {
                Some(NumberSource::Literal(p)) if p > 100.0 => {
                    self.schema(
                        &pointer_join(ptr, "ToleratedFailurePercentage"),
                        "ToleratedFailurePercentage must be between 0 and 100",
                    );
                    None
                }
                other => other,
            };
        let label = self.opt_string(obj, ptr, "Label");
        if let Some(l) = &label {
            if l.chars().count() > 40
                || l.chars()
                    .any(|c| c.is_whitespace() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c))
            {
                self.diagnostics.push(Diagnostic::new(
                    codes::INVALID_LABEL_NAME,
                    format!("Invalid label name: {l}"),
                    pointer_join(ptr, "Label"),
                ));
            }
        }
        let distributed = list.processor_mode == Some(ProcessorMode::Distributed);
        for f in [
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "Label",
            "ToleratedFailureCount",
            "ToleratedFailurePercentage",
            "ToleratedFailureCountPath",
            "ToleratedFailurePercentagePath",
        ] {
            if obj.contains_key(f) && !distributed {
                self.schema(
                    &pointer_join(ptr, f),
                    format!(
                        "The field '{f}' is only supported with ProcessorConfig Mode DISTRIBUTED"
                    ),
                );
            }
        }
        MapState {
            processor: Arc::new(list),
            items_path,
            item_selector,
            selector,
            items,
            max_concurrency,
            tolerated_failure_count,
            tolerated_failure_percentage,
            label,
            item_reader: obj.get("ItemReader").cloned(),
            item_batcher: obj.get("ItemBatcher").cloned(),
            result_writer: obj.get("ResultWriter").cloned(),
        }
    }
}
