//! The items panel's pure reducer: the shown table and its key schema, the query/scan
//! builder's spec, the pages visited (their start keys, so paging goes back as well as
//! forward), the current page's items with its scanned and returned counts, the sort, the
//! selection, the items a live refresh changed, the item editor and the PartiQL console.

use super::attr::{self, key_text};
use super::convert::{self, FormRow};
use super::key_request::KeySpec;
use super::request::{Mode, ReadSpec};
use crate::document::SavedStatement;
use serde_json::Value;
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::Reducible;

/// Items per page unless the person picks another size.
pub const PAGE_SIZE: u32 = 50;
/// Statements the PartiQL history keeps (saved with the workspace's document).
pub const HISTORY: usize = 50;

/// A key attribute: name and type (S, N, B).
pub type KeyAttr = (String, String);

/// A table or index the builder can read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Source {
    /// None for the table itself.
    pub index: Option<String>,
    pub hash: Option<KeyAttr>,
    pub range: Option<KeyAttr>,
}

/// The editor's view of the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Form,
    Json,
    Plain,
}

/// What the editor's save does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditMode {
    New,
    Edit,
}

/// An error shown in the editor: at a form row (by attribute name) or above the form.
#[derive(Debug, Clone, PartialEq)]
pub struct EditorError {
    pub field: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Editor {
    pub mode: EditMode,
    /// The item as loaded (Edit), whose key a save replaces.
    pub original: Value,
    pub view: View,
    pub rows: Vec<FormRow>,
    pub json: String,
    pub plain: String,
    pub error: Option<EditorError>,
    /// What a plain-JSON save would lose; shown with "Save anyway".
    pub losses: Vec<String>,
    pub busy: bool,
    /// A ConditionExpression the save or delete must meet ("" for none).
    pub condition: String,
    /// Its ExpressionAttributeValues, a JSON object of DynamoDB JSON values.
    pub condition_values: String,
    /// The item came from a GetItem with this projection: only some attributes, so it is
    /// shown but not saved (a save would drop the others).
    pub projected: Option<String>,
}

impl Editor {
    pub fn new(mode: EditMode, item: Value) -> Editor {
        Editor {
            mode,
            rows: convert::rows_of(&item),
            json: serde_json::to_string_pretty(&item).unwrap_or_default(),
            plain: serde_json::to_string_pretty(&convert::item_to_plain(&item)).unwrap_or_default(),
            original: item,
            view: View::Form,
            error: None,
            losses: Vec::new(),
            busy: false,
            condition: String::new(),
            condition_values: String::new(),
            projected: None,
        }
    }

    /// Adds the editor's condition to a PutItem or DeleteItem request.
    pub fn with_condition(&self, mut request: Value) -> Result<Value, EditorError> {
        let condition = self.condition.trim();
        if condition.is_empty() {
            return Ok(request);
        }
        request["ConditionExpression"] = Value::from(condition);
        let values = self.condition_values.trim();
        if !values.is_empty() {
            let parsed: Value = serde_json::from_str(values)
                .ok()
                .filter(Value::is_object)
                .ok_or_else(|| EditorError {
                    field: None,
                    message: "Condition values: a JSON object such as {\":v\": {\"S\": \"x\"}}"
                        .into(),
                })?;
            request["ExpressionAttributeValues"] = parsed;
        }
        Ok(request)
    }

    /// The typed item the current view holds.
    pub fn item(&self) -> Result<Value, EditorError> {
        match self.view {
            View::Form => convert::item_of(&self.rows).map_err(|(i, message)| EditorError {
                field: Some(self.rows[i].name.clone()),
                message,
            }),
            View::Json | View::Plain => {
                let text = if self.view == View::Json {
                    &self.json
                } else {
                    &self.plain
                };
                if self.view == View::Plain {
                    return convert::typed_from_plain(text, &self.original)
                        .map(|(item, _)| item)
                        .map_err(|message| EditorError {
                            field: None,
                            message,
                        });
                }
                let v: Value = serde_json::from_str(text).map_err(|e| EditorError {
                    field: None,
                    message: format!("DynamoDB JSON: {e}"),
                })?;
                convert::item_of(&convert::rows_of(&v)).map_err(|(i, message)| EditorError {
                    field: None,
                    message: format!("{}: {message}", convert::rows_of(&v)[i].name),
                })?;
                if !v.is_object() {
                    return Err(EditorError {
                        field: None,
                        message: "DynamoDB JSON: an item is a JSON object".into(),
                    });
                }
                Ok(v)
            }
        }
    }
}

/// The PartiQL console.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Console {
    pub statement: String,
    /// A JSON array of DynamoDB JSON values for the `?`s.
    pub parameters: String,
    pub items: Rc<Vec<Value>>,
    pub next_token: Option<String>,
    pub error: Option<String>,
    pub busy: bool,
    /// The statement ran and returned this many items (None before any run).
    pub ran: Option<usize>,
}

/// The history with `entry` first (once), at most [`HISTORY`] long.
pub fn remember(history: &[SavedStatement], entry: SavedStatement) -> Vec<SavedStatement> {
    let mut out = vec![entry.clone()];
    out.extend(history.iter().filter(|s| **s != entry).cloned());
    out.truncate(HISTORY);
    out
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemsState {
    pub table: String,
    /// The table's key attributes (hash then range), for each item's key.
    pub key_names: Vec<String>,
    /// The table and its indexes.
    pub sources: Vec<Source>,
    /// DescribeTable's `Table`.
    pub description: Option<Value>,
    pub spec: ReadSpec,
    /// Start keys of the pages visited; `pages[page]` is the shown page's.
    pub pages: Vec<Option<Value>>,
    pub page: usize,
    pub items: Rc<Vec<Value>>,
    pub last_key: Option<Value>,
    pub scanned: u64,
    pub returned: u64,
    /// Whether every page is loaded at once (sorting then covers the whole result).
    pub all: bool,
    /// Columns: the union over the pages loaded since the table or query changed.
    pub columns: Vec<String>,
    pub sort: Option<(String, bool)>,
    pub selected: BTreeSet<String>,
    /// Keys whose item a live refresh changed or added.
    pub changed: BTreeSet<String>,
    pub loading: bool,
    /// A builder or read error.
    pub error: Option<String>,
    /// Bumped when the table or the query changes, so late pages of the old one are dropped.
    pub generation: u64,
    /// The table the panel was last asked to show: a late description of another is dropped.
    pub wanted: String,
    pub editor: Option<Editor>,
    pub console: Console,
    /// How the request is shown: "json", "cli" or "task".
    pub request_view: String,
    /// The "Item by key" form (GetItem, UpdateItem, DeleteItem).
    pub by_key: KeySpec,
    pub by_key_busy: bool,
    pub by_key_note: Option<String>,
    pub by_key_error: Option<String>,
    /// How the "Item by key" request is shown.
    pub by_key_view: String,
}

pub enum ItemsAction {
    /// The panel is to show this table (its description and pages follow).
    Want(String),
    /// A table was described: its key schema, indexes and description.
    Table {
        table: String,
        description: Value,
    },
    Spec(ReadSpec),
    /// A read starts (the builder's Run, a page change, a live refresh).
    Loading,
    Page {
        generation: u64,
        page: usize,
        start: Option<Value>,
        items: Vec<Value>,
        last_key: Option<Value>,
        scanned: u64,
        returned: u64,
        all: bool,
        /// A refresh of the shown page: highlight what changed.
        live: bool,
    },
    ReadFailed(String),
    Sort(String),
    Toggle(String),
    SelectAll(bool),
    RequestView(String),
    Edit(Option<Editor>),
    EditorSaved,
    Console(Console),
    ByKey(KeySpec),
    ByKeyBusy,
    /// The "Item by key" action ended: a note on what it did, or its error.
    ByKeyDone {
        note: Option<String>,
        error: Option<String>,
    },
    ByKeyView(String),
    /// The query or scan starts afresh: new columns, first page, stale pages dropped.
    Restart,
}

fn key_attr(description: &Value, schema: &Value) -> (Option<KeyAttr>, Option<KeyAttr>) {
    let type_of = |name: &str| {
        description["AttributeDefinitions"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|d| d["AttributeName"] == name)
            .and_then(|d| d["AttributeType"].as_str())
            .unwrap_or("S")
            .to_string()
    };
    let mut hash = None;
    let mut range = None;
    for k in schema.as_array().into_iter().flatten() {
        let name = k["AttributeName"].as_str().unwrap_or_default().to_string();
        let attr = Some((name.clone(), type_of(&name)));
        if k["KeyType"] == "HASH" {
            hash = attr;
        } else {
            range = attr;
        }
    }
    (hash, range)
}

/// The table and its indexes from DescribeTable's `Table`.
pub fn sources_of(description: &Value) -> Vec<Source> {
    let (hash, range) = key_attr(description, &description["KeySchema"]);
    let mut out = vec![Source {
        index: None,
        hash,
        range,
    }];
    for kind in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
        for index in description[kind].as_array().into_iter().flatten() {
            let (hash, range) = key_attr(description, &index["KeySchema"]);
            out.push(Source {
                index: index["IndexName"].as_str().map(str::to_string),
                hash,
                range,
            });
        }
    }
    out
}

impl ItemsState {
    /// The shown items in the grid's order (sorted if a sort is set).
    pub fn ordered(&self) -> Vec<Value> {
        let mut items: Vec<Value> = self.items.as_ref().clone();
        if let Some((column, ascending)) = &self.sort {
            items.sort_by(|a, b| {
                let o = attr::compare_values(a.get(column), b.get(column));
                if *ascending {
                    o
                } else {
                    o.reverse()
                }
            });
        }
        items
    }

    /// The table's own key attributes (hash, then range) with their types.
    pub fn source_keys(&self) -> Vec<KeyAttr> {
        self.sources
            .first()
            .map(|s| s.hash.iter().chain(s.range.iter()).cloned().collect())
            .unwrap_or_default()
    }

    /// The spec with the key attributes of its table or index filled in.
    pub fn with_source(&self, mut spec: ReadSpec) -> ReadSpec {
        let source = self
            .sources
            .iter()
            .find(|s| s.index == spec.index)
            .cloned()
            .unwrap_or_default();
        if let Some((name, t)) = source.hash {
            if spec.pk.0 != name {
                spec.pk = (name, t, String::new());
            }
        }
        spec.sk = source.range;
        spec
    }
}

impl Reducible for ItemsState {
    type Action = ItemsAction;

    fn reduce(self: Rc<Self>, action: ItemsAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            ItemsAction::Want(table) => next.wanted = table,
            ItemsAction::Table { table, description } => {
                if !next.wanted.is_empty() && next.wanted != table {
                    return self;
                }
                let same = next.table == table;
                next.sources = sources_of(&description);
                let base = &next.sources[0];
                next.key_names = base
                    .hash
                    .iter()
                    .chain(base.range.iter())
                    .map(|(n, _)| n.clone())
                    .collect();
                next.description = Some(description);
                if !same {
                    next.table = table.clone();
                    let spec = ReadSpec {
                        table,
                        mode: Mode::Scan,
                        limit: PAGE_SIZE,
                        sk_op: "=".into(),
                        ..ReadSpec::default()
                    };
                    next.spec = next.with_source(spec);
                    next.pages = vec![None];
                    next.page = 0;
                    next.items = Rc::default();
                    next.last_key = None;
                    next.columns = next.key_names.clone();
                    next.sort = None;
                    next.selected.clear();
                    next.changed.clear();
                    next.all = false;
                    next.editor = None;
                    next.error = None;
                    next.by_key = KeySpec {
                        action: next.by_key.action,
                        ..KeySpec::default()
                    };
                    next.by_key_note = None;
                    next.by_key_error = None;
                    next.generation += 1;
                }
            }
            ItemsAction::Spec(spec) => {
                let spec = next.with_source(spec);
                next.spec = spec;
            }
            ItemsAction::Loading => {
                next.loading = true;
                next.error = None;
            }
            ItemsAction::Page {
                generation,
                page,
                start,
                items,
                last_key,
                scanned,
                returned,
                all,
                live,
            } => {
                if generation != next.generation {
                    // A page of an older table or query: dropped (the newer read answers).
                    next.loading = false;
                    return Rc::new(next);
                }
                if live && page == next.page {
                    // Highlights add up over live refreshes (a run's writes a second apart
                    // all stay marked) until the person reads another page or query.
                    let old: std::collections::BTreeMap<String, &Value> = next
                        .items
                        .iter()
                        .map(|i| (key_text(&next.key_names, i), i))
                        .collect();
                    let keys: BTreeSet<String> =
                        items.iter().map(|i| key_text(&next.key_names, i)).collect();
                    next.changed.retain(|k| keys.contains(k));
                    next.changed.extend(
                        items
                            .iter()
                            .filter(|i| old.get(&key_text(&next.key_names, i)) != Some(i))
                            .map(|i| key_text(&next.key_names, i)),
                    );
                } else {
                    next.changed.clear();
                }
                next.pages.truncate(page.min(next.pages.len()));
                next.pages.push(start);
                next.page = next.pages.len() - 1;
                let keys: BTreeSet<String> =
                    items.iter().map(|i| key_text(&next.key_names, i)).collect();
                next.selected.retain(|k| keys.contains(k));
                next.columns = attr::columns(&next.columns, &items);
                next.items = Rc::new(items);
                next.last_key = last_key;
                next.scanned = scanned;
                next.returned = returned;
                next.all = all;
                next.loading = false;
                next.error = None;
            }
            ItemsAction::ReadFailed(message) => {
                next.loading = false;
                next.error = Some(message);
            }
            ItemsAction::Sort(column) => {
                next.sort = match next.sort.take() {
                    Some((c, true)) if c == column => Some((c, false)),
                    Some((c, false)) if c == column => None,
                    _ => Some((column, true)),
                };
            }
            ItemsAction::Toggle(key) => {
                if !next.selected.remove(&key) {
                    next.selected.insert(key);
                }
            }
            ItemsAction::SelectAll(on) => {
                next.selected = if on {
                    next.items
                        .iter()
                        .map(|i| key_text(&next.key_names, i))
                        .collect()
                } else {
                    BTreeSet::new()
                };
            }
            ItemsAction::RequestView(view) => next.request_view = view,
            ItemsAction::Edit(editor) => next.editor = editor,
            ItemsAction::EditorSaved => next.editor = None,
            ItemsAction::Console(console) => next.console = console,
            ItemsAction::ByKey(spec) => {
                next.by_key = spec;
                next.by_key_error = None;
            }
            ItemsAction::ByKeyBusy => {
                next.by_key_busy = true;
                next.by_key_note = None;
                next.by_key_error = None;
            }
            ItemsAction::ByKeyDone { note, error } => {
                next.by_key_busy = false;
                next.by_key_note = note;
                next.by_key_error = error;
            }
            ItemsAction::ByKeyView(view) => next.by_key_view = view,
            // The sort stays: Load all is how a sort comes to cover every page.
            ItemsAction::Restart => {
                next.generation += 1;
                next.columns = next.key_names.clone();
                next.pages = vec![None];
                next.page = 0;
                next.selected.clear();
                next.changed.clear();
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn described() -> Value {
        json!({"TableName": "T",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "N"}, {"AttributeName": "g", "AttributeType": "S"}],
            "GlobalSecondaryIndexes": [{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}]})
    }

    fn item(pk: &str, sk: &str, extra: Value) -> Value {
        let mut v = json!({"pk": {"S": pk}, "sk": {"N": sk}});
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        v
    }

    fn page(
        s: &Rc<ItemsState>,
        page: usize,
        start: Option<Value>,
        items: Vec<Value>,
        live: bool,
    ) -> Rc<ItemsState> {
        s.clone().reduce(ItemsAction::Page {
            generation: s.generation,
            page,
            start,
            items,
            last_key: Some(json!({"pk": {"S": "x"}})),
            scanned: 10,
            returned: 2,
            all: false,
            live,
        })
    }

    fn table() -> Rc<ItemsState> {
        Rc::new(ItemsState::default()).reduce(ItemsAction::Table {
            table: "T".into(),
            description: described(),
        })
    }

    /// An empty first page of query `generation`.
    fn empty_page(generation: u64) -> ItemsAction {
        ItemsAction::Page {
            generation,
            page: 0,
            start: None,
            items: Vec::new(),
            last_key: None,
            scanned: 0,
            returned: 0,
            all: false,
            live: false,
        }
    }

    #[test]
    fn a_table_brings_its_keys_and_indexes() {
        let s = table();
        assert_eq!(s.key_names, ["pk", "sk"]);
        assert_eq!(s.sources.len(), 2);
        assert_eq!(s.spec.pk.0, "pk");
        assert_eq!(s.spec.sk, Some(("sk".into(), "N".into())));
        let mut spec = s.spec.clone();
        spec.index = Some("byG".into());
        let s = s.reduce(ItemsAction::Spec(spec));
        assert_eq!(s.spec.pk, ("g".into(), "S".into(), String::new()));
        assert_eq!(s.spec.sk, None);
    }

    #[test]
    fn pages_go_forward_and_back_and_columns_grow() {
        let s = table();
        let s = page(
            &s,
            0,
            None,
            vec![item("a", "1", json!({"x": {"S": "1"}}))],
            false,
        );
        assert_eq!(s.columns, ["pk", "sk", "x"]);
        let s = page(
            &s,
            1,
            Some(json!({"pk": {"S": "a"}})),
            vec![item("b", "2", json!({"y": {"NULL": true}}))],
            false,
        );
        assert_eq!(s.page, 1);
        assert_eq!(s.pages.len(), 2);
        assert_eq!(s.columns, ["pk", "sk", "x", "y"]);
        let s = page(&s, 0, None, vec![item("a", "1", json!({}))], false);
        assert_eq!((s.page, s.pages.len()), (0, 1));
        // A page of an older query is dropped.
        let stale = s.clone().reduce(empty_page(s.generation + 1));
        assert_eq!(stale.items.len(), 1);
    }

    #[test]
    fn sort_selection_and_live_changes() {
        let s = table();
        let a = item("a", "10", json!({}));
        let b = item("b", "9", json!({}));
        let s = page(&s, 0, None, vec![a.clone(), b.clone()], false);
        let s = s.reduce(ItemsAction::Sort("sk".into()));
        assert_eq!(s.ordered()[0], b);
        let s = s.reduce(ItemsAction::Sort("sk".into()));
        assert_eq!(s.ordered()[0], a);
        let s = s.reduce(ItemsAction::SelectAll(true));
        assert_eq!(s.selected.len(), 2);
        let key = key_text(&s.key_names, &a);
        let s = s.reduce(ItemsAction::Toggle(key));
        assert_eq!(s.selected.len(), 1);
        let b2 = item("b", "9", json!({"n": {"N": "1"}}));
        let s = page(&s, 0, None, vec![a.clone(), b2], true);
        assert_eq!(s.changed.len(), 1);
        assert!(s.changed.contains(&key_text(&s.key_names, &b)));
        // A deleted item leaves the selection.
        let s = page(&s, 0, None, vec![a], true);
        assert!(s.selected.is_empty());
    }

    #[test]
    fn live_marks_add_up_until_another_read_and_load_all_keeps_the_sort() {
        let s = table();
        let a = item("a", "1", json!({}));
        let b = item("b", "2", json!({}));
        let s = page(&s, 0, None, vec![a.clone(), b.clone()], false);
        let a2 = item("a", "1", json!({"x": {"N": "1"}}));
        let s = page(&s, 0, None, vec![a2.clone(), b.clone()], true);
        let b2 = item("b", "2", json!({"x": {"N": "2"}}));
        let s = page(&s, 0, None, vec![a2.clone(), b2.clone()], true);
        assert_eq!(s.changed.len(), 2, "the first change stays marked");
        // A deleted item loses its mark; a read of the person's own drops them all.
        let s = page(&s, 0, None, vec![b2.clone()], true);
        assert_eq!(s.changed.len(), 1);
        let s = page(&s, 0, None, vec![b2], false);
        assert!(s.changed.is_empty());
        let s = s.reduce(ItemsAction::Sort("sk".into()));
        let s = s.reduce(ItemsAction::Restart);
        assert_eq!(s.sort, Some(("sk".into(), true)));
    }

    #[test]
    fn a_late_description_of_another_table_is_dropped() {
        let s = Rc::new(ItemsState::default()).reduce(ItemsAction::Want("B".into()));
        let s = s.reduce(ItemsAction::Table {
            table: "A".into(),
            description: described(),
        });
        assert_eq!(s.table, "");
        let s = s.reduce(ItemsAction::Table {
            table: "B".into(),
            description: described(),
        });
        assert_eq!(s.table, "B");
        // A stale page is dropped but does not leave the panel loading.
        let s = s.reduce(ItemsAction::Loading);
        let s = s.clone().reduce(empty_page(s.generation + 7));
        assert!(!s.loading);
    }

    #[test]
    fn the_history_keeps_each_statement_once_newest_first_and_bounded() {
        let saved = |s: &str, p: &str| SavedStatement {
            statement: s.into(),
            parameters: p.into(),
        };
        let mut h = Vec::new();
        for i in 0..60 {
            h = remember(&h, saved(&format!("S{i}"), ""));
        }
        assert_eq!(h.len(), HISTORY);
        assert_eq!(h[0].statement, "S59");
        let h = remember(&h, saved("S10", ""));
        assert_eq!(h.len(), HISTORY);
        assert_eq!(h[0].statement, "S10");
        assert_eq!(h.iter().filter(|s| s.statement == "S10").count(), 1);
        // The same statement with other parameters is another entry.
        let h = remember(&h, saved("S10", "[1]"));
        assert_eq!(
            (h[0].parameters.as_str(), h[1].parameters.as_str()),
            ("[1]", "")
        );
    }

    #[test]
    fn the_editor_reads_each_view() {
        let original = item(
            "a",
            "12345678901234567890123456789012345678",
            json!({"t": {"SS": ["x"]}}),
        );
        let mut e = Editor::new(EditMode::Edit, original.clone());
        assert_eq!(e.item().unwrap(), original);
        e.view = View::Plain;
        assert_eq!(e.item().unwrap(), original);
        e.view = View::Json;
        e.json = "{\"a\": {\"N\": \"x\"}}".into();
        assert!(e.item().unwrap_err().message.starts_with("a:"));
        e.view = View::Form;
        e.rows[1].text = "nope".into();
        assert_eq!(e.item().unwrap_err().field.as_deref(), Some("sk"));
    }
}
