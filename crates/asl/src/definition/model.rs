//! The state machine model: what a definition says, with defaults applied and paths parsed.

use crate::jsonata::Field;
use crate::jsonpath::JsonPath;
use crate::template::Template;
use serde_json::Value;
use std::sync::Arc;

/// A whole state machine (the top-level document).
#[derive(Debug, Clone)]
pub struct StateMachine {
    pub comment: Option<String>,
    pub version: Option<String>,
    pub timeout_seconds: Option<u64>,
    pub query_language: QueryLanguage,
    pub states: Arc<StateList>,
    /// The definition as JSON (for `$$.StateMachine` and display).
    pub source: Value,
    /// Some path refers to a workflow variable (`$name`).
    pub uses_variables: bool,
}

impl StateMachine {
    /// Names of the top-level states, in definition order.
    pub fn state_names(&self) -> Vec<&str> {
        self.states.states.iter().map(|s| &*s.name).collect()
    }

    /// The `StartAt` state name.
    pub fn start_at(&self) -> &str {
        &self.states.start_at
    }

    /// True when any state (at any depth) uses JSONata or workflow variables.
    pub fn uses_jsonata_or_variables(&self) -> bool {
        self.query_language == QueryLanguage::JSONata
            || self.uses_variables
            || self.states.uses_jsonata_or_variables()
    }
}

/// `QueryLanguage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueryLanguage {
    #[default]
    JSONPath,
    JSONata,
}

/// A `StartAt` + `States` block: the machine itself, a Parallel branch or a Map processor.
#[derive(Debug, Clone, Default)]
pub struct StateList {
    pub start_at: String,
    pub states: Vec<State>,
    /// `ProcessorConfig` of a Map's ItemProcessor.
    pub processor_mode: Option<ProcessorMode>,
    /// JSON pointer of this block in the definition.
    pub pointer: String,
}

impl StateList {
    /// The state with that name.
    pub fn get(&self, name: &str) -> Option<&State> {
        self.states.get(self.index_of(name)?)
    }

    /// The position of the state with that name in [`StateList::states`].
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.states.iter().position(|s| *s.name == *name)
    }

    fn uses_jsonata_or_variables(&self) -> bool {
        self.states.iter().any(|s| {
            s.jsonata
                || s.assign.is_some()
                || match &s.kind {
                    StateKind::Parallel(p) => {
                        p.branches.iter().any(|b| b.uses_jsonata_or_variables())
                    }
                    StateKind::Map(m) => m.processor.uses_jsonata_or_variables(),
                    _ => false,
                }
        })
    }
}

/// Map processor mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessorMode {
    Inline,
    Distributed,
}

/// An optional path field that may also be `null` (InputPath, OutputPath, ResultPath).
#[derive(Debug, Clone, PartialEq)]
pub enum PathField {
    /// Field absent: the default `$`.
    Default,
    /// `null`.
    Null,
    /// A path.
    Path(JsonPath),
}

/// Where a state goes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    Next(String),
    End,
    /// Choice, Succeed, Fail (or a missing transition, diagnosed).
    None,
}

/// One state.
#[derive(Debug, Clone)]
pub struct State {
    /// The state's name, shared with the history events and inspections that name it.
    pub name: Arc<str>,
    pub comment: Option<String>,
    pub kind: StateKind,
    pub transition: Transition,
    pub input_path: PathField,
    pub output_path: PathField,
    pub result_path: PathField,
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub query_language: Option<QueryLanguage>,
    /// The state's effective query language is JSONata.
    pub jsonata: bool,
    pub assign: Option<Assign>,
    /// JSONata `Output`.
    pub output: Option<Field>,
    /// JSONata `Arguments` (Task, Parallel).
    pub arguments: Option<Field>,
    /// JSON pointer of the state in the definition.
    pub pointer: String,
    /// Whether any field of this state (not of its nested branches) mentions `$$`, and so
    /// whether running it needs the context object.
    pub uses_context: bool,
}

impl State {
    /// The `Type` name as written in ASL.
    pub fn type_name(&self) -> &'static str {
        self.kind.type_name()
    }
}

/// `Assign`: in a JSONPath state a template whose `name.$` fields are paths or intrinsic
/// calls; in a JSONata state a value whose `{% %}` strings are expressions.
#[derive(Debug, Clone, PartialEq)]
pub enum Assign {
    Paths(Template),
    Jsonata(Field),
}

/// What a state does, by `Type`.
#[derive(Debug, Clone)]
pub enum StateKind {
    Pass(PassState),
    Task(TaskState),
    Choice(ChoiceState),
    Wait(WaitState),
    Succeed,
    Fail(FailState),
    Parallel(ParallelState),
    Map(Box<MapState>),
}

impl StateKind {
    /// The `Type` name as written in ASL.
    pub fn type_name(&self) -> &'static str {
        match self {
            StateKind::Pass(_) => "Pass",
            StateKind::Task(_) => "Task",
            StateKind::Choice(_) => "Choice",
            StateKind::Wait(_) => "Wait",
            StateKind::Succeed => "Succeed",
            StateKind::Fail(_) => "Fail",
            StateKind::Parallel(_) => "Parallel",
            StateKind::Map(_) => "Map",
        }
    }
}

/// Pass.
#[derive(Debug, Clone, Default)]
pub struct PassState {
    pub result: Option<Value>,
}

/// A number given literally or by a reference path (`TimeoutSeconds` / `TimeoutSecondsPath`).
#[derive(Debug, Clone, PartialEq)]
pub enum NumberSource {
    Literal(f64),
    Path(JsonPath),
    /// A JSONata `{% %}` expression.
    Expr(Field),
}

/// Task.
#[derive(Debug, Clone)]
pub struct TaskState {
    pub resource: String,
    pub timeout: Option<NumberSource>,
    pub heartbeat: Option<NumberSource>,
    pub credentials: Option<Value>,
}

/// Choice.
#[derive(Debug, Clone, Default)]
pub struct ChoiceState {
    pub choices: Vec<ChoiceRule>,
    pub default: Option<Arc<str>>,
}

/// A top-level choice rule: a condition and where to go.
#[derive(Debug, Clone)]
pub struct ChoiceRule {
    pub condition: Condition,
    pub next: Arc<str>,
    pub assign: Option<Assign>,
    /// JSONata `Output` of the rule.
    pub output: Option<Field>,
}

/// A Boolean expression of a Choice rule.
#[derive(Debug, Clone)]
pub enum Condition {
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
    Compare {
        variable: JsonPath,
        op: Comparison,
        operand: Operand,
    },
    /// A JSONata `Condition` (`{% ... %}` or a literal Boolean), evaluated by the
    /// interpreter (it needs `$states` and the variables).
    Jsonata(Field),
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone)]
pub enum Operand {
    Literal(Value),
    Path(JsonPath),
}

/// Every data-test operator (the `...Path` forms share the operator; see [`Operand`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

impl Comparison {
    /// All operators with their ASL names.
    pub const ALL: [(&'static str, Comparison); 23] = [
        ("StringEquals", Comparison::StringEquals),
        ("StringLessThan", Comparison::StringLessThan),
        ("StringGreaterThan", Comparison::StringGreaterThan),
        ("StringLessThanEquals", Comparison::StringLessThanEquals),
        (
            "StringGreaterThanEquals",
            Comparison::StringGreaterThanEquals,
        ),
        ("StringMatches", Comparison::StringMatches),
        ("NumericEquals", Comparison::NumericEquals),
        ("NumericLessThan", Comparison::NumericLessThan),
        ("NumericGreaterThan", Comparison::NumericGreaterThan),
        ("NumericLessThanEquals", Comparison::NumericLessThanEquals),
        (
            "NumericGreaterThanEquals",
            Comparison::NumericGreaterThanEquals,
        ),
        ("BooleanEquals", Comparison::BooleanEquals),
        ("TimestampEquals", Comparison::TimestampEquals),
        ("TimestampLessThan", Comparison::TimestampLessThan),
        ("TimestampGreaterThan", Comparison::TimestampGreaterThan),
        (
            "TimestampLessThanEquals",
            Comparison::TimestampLessThanEquals,
        ),
        (
            "TimestampGreaterThanEquals",
            Comparison::TimestampGreaterThanEquals,
        ),
        ("IsNull", Comparison::IsNull),
        ("IsPresent", Comparison::IsPresent),
        ("IsNumeric", Comparison::IsNumeric),
        ("IsString", Comparison::IsString),
        ("IsBoolean", Comparison::IsBoolean),
        ("IsTimestamp", Comparison::IsTimestamp),
    ];

    /// True for the type tests (`IsNull`, ...), whose operand is a Boolean literal.
    pub fn is_type_test(self) -> bool {
        matches!(
            self,
            Comparison::IsNull
                | Comparison::IsPresent
                | Comparison::IsNumeric
                | Comparison::IsString
                | Comparison::IsBoolean
                | Comparison::IsTimestamp
        )
    }
}

/// Wait.
#[derive(Debug, Clone)]
pub enum WaitState {
    Seconds(f64),
    SecondsPath(JsonPath),
    Timestamp(String),
    TimestampPath(JsonPath),
    /// JSONata `Seconds` or `Timestamp` given as `{% %}`: the field's name and value.
    Expr(&'static str, Field),
}

/// A string given literally or computed (`Error` / `ErrorPath`).
#[derive(Debug, Clone, PartialEq)]
pub enum StringSource {
    Literal(String),
    Path(JsonPath),
    Intrinsic(crate::intrinsics::Intrinsic),
    /// A JSONata `{% %}` expression.
    Expr(Field),
}

/// Fail.
#[derive(Debug, Clone, Default)]
pub struct FailState {
    pub error: Option<StringSource>,
    pub cause: Option<StringSource>,
}

/// Parallel.
#[derive(Debug, Clone, Default)]
pub struct ParallelState {
    pub branches: Vec<Arc<StateList>>,
}

/// Map.
#[derive(Debug, Clone)]
pub struct MapState {
    pub processor: Arc<StateList>,
    pub items_path: PathField,
    pub item_selector: Option<Template>,
    /// JSONata `ItemSelector`.
    pub selector: Option<Field>,
    /// JSONata `Items`.
    pub items: Option<Field>,
    pub max_concurrency: Option<NumberSource>,
    pub tolerated_failure_count: Option<NumberSource>,
    pub tolerated_failure_percentage: Option<NumberSource>,
    pub label: Option<String>,
    pub item_reader: Option<Value>,
    pub item_batcher: Option<Value>,
    pub result_writer: Option<Value>,
}

/// One Retry entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Retrier {
    pub error_equals: Vec<String>,
    pub interval_seconds: f64,
    pub max_attempts: u32,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<f64>,
    pub jitter: Jitter,
}

/// `JitterStrategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Jitter {
    #[default]
    None,
    Full,
}

/// One Catch entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Catcher {
    pub error_equals: Vec<String>,
    pub result_path: PathField,
    pub next: String,
    pub assign: Option<Assign>,
    /// JSONata `Output`.
    pub output: Option<Field>,
}
