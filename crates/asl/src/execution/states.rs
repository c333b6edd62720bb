//! Running one state of a frame: entering, the body of each state type, leaving, and the
//! Retry / Catch handling of failures.

use super::frame::{Fault, Phase, Wake};
use super::jsonata::Extra;
use super::Execution;
use crate::choice_eval::evaluate_in;
use crate::definition::model::{
    FailState, NumberSource, PathField, State, StateKind, StateList, StringSource, Transition,
    WaitState,
};
use crate::history::Details;
use crate::inspection::{ErrorDetails, StateInspection};
use crate::integration::Integration;
use crate::jsonpath::Scope;
use crate::limits::{MAX_RETRY_DELAY_SECONDS, MAX_WAIT_SECONDS};
use crate::payload::{apply_path_in, apply_result_path, exceeds_bytes, to_text, PayloadError};
use crate::timestamp::parse_timestamp;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// A state of a frame's block, shared (no copy of the state).
pub(super) struct StateRef {
    list: Arc<StateList>,
    index: usize,
}

impl std::ops::Deref for StateRef {
    type Target = State;
    fn deref(&self) -> &State {
        &self.list.states[self.index]
    }
}

/// The `...StateEntered` / `...StateExited` event type of a state.
fn state_event(kind: &StateKind, exited: bool) -> &'static str {
    match (kind, exited) {
        (StateKind::Pass(_), false) => "PassStateEntered",
        (StateKind::Pass(_), true) => "PassStateExited",
        (StateKind::Task(_), false) => "TaskStateEntered",
        (StateKind::Task(_), true) => "TaskStateExited",
        (StateKind::Choice(_), false) => "ChoiceStateEntered",
        (StateKind::Choice(_), true) => "ChoiceStateExited",
        (StateKind::Wait(_), false) => "WaitStateEntered",
        (StateKind::Wait(_), true) => "WaitStateExited",
        (StateKind::Succeed, false) => "SucceedStateEntered",
        (StateKind::Succeed, true) => "SucceedStateExited",
        (StateKind::Fail(_), false) => "FailStateEntered",
        (StateKind::Fail(_), true) => "FailStateExited",
        (StateKind::Parallel(_), false) => "ParallelStateEntered",
        (StateKind::Parallel(_), true) => "ParallelStateExited",
        (StateKind::Map(_), false) => "MapStateEntered",
        (StateKind::Map(_), true) => "MapStateExited",
    }
}

/// How a state's body ended.
pub(super) enum Outcome {
    /// Leave with this output (to `next` when given, else by the state's transition).
    Exit {
        output: Arc<Value>,
        next: Option<Arc<str>>,
    },
    /// Failed; Retry/Catch apply.
    Fail(Fault),
    /// The body arranged its own continuation (sleep, children).
    Pending,
}

impl Execution {
    pub(super) fn state_of(&self, id: usize) -> Option<StateRef> {
        let f = self.frames.get(id)?;
        let index = f.state.filter(|i| *i < f.list.states.len())?;
        Some(StateRef {
            list: f.list.clone(),
            index,
        })
    }

    pub(super) fn prefix(&self, id: usize) -> String {
        let (name, entered) = self
            .frames
            .get(id)
            .map(|f| (f.current.clone(), f.entered_event))
            .unwrap_or_default();
        format!("An error occurred while executing the state '{name}' (entered at the event id #{entered}). ")
    }

    pub(super) fn payload_fault(&self, id: usize, e: PayloadError) -> Fault {
        match e {
            PayloadError::Runtime(s) => {
                Fault::new("States.Runtime", format!("{}{s}", self.prefix(id)))
            }
            PayloadError::Failure(f) => f.into(),
        }
    }

    pub(super) fn inspect(&mut self, id: usize, f: impl FnOnce(&mut StateInspection)) {
        if let Some(i) = self.frames.get(id).and_then(|fr| fr.inspection) {
            if let Some(rec) = self.inspections.get_mut(i) {
                f(rec);
            }
        }
    }

    pub(super) fn run_frame(&mut self, id: usize, services: &mut dyn Integration) {
        let Some(frame) = self.frames.get(id) else {
            return;
        };
        match &frame.phase {
            Phase::Enter => self.enter_state(id),
            Phase::Run => self.run_state(id, services),
            Phase::Sleep {
                then: Wake::Run, ..
            } => {
                if let Some(f) = self.frames.get_mut(id) {
                    f.phase = Phase::Run;
                }
                self.run_state(id, services);
            }
            Phase::Sleep {
                then: Wake::WaitExit,
                ..
            } => {
                let output = self
                    .frames
                    .get(id)
                    .map(|f| f.effective.clone())
                    .unwrap_or_default();
                self.after_body(id, Outcome::Exit { output, next: None });
            }
            Phase::Composite(_) => self.step_composite(id),
            Phase::Finished | Phase::Parked { .. } => {}
        }
    }

    fn enter_state(&mut self, id: usize) {
        let Some(state) = self.state_of(id) else {
            let name = self
                .frames
                .get(id)
                .map(|f| f.current.clone())
                .unwrap_or_default();
            self.finish_frame(
                id,
                Err(Fault::new(
                    "States.Runtime",
                    format!("The state '{name}' does not exist."),
                )),
            );
            return;
        };
        let (input, checked) = self
            .frames
            .get(id)
            .map(|f| (f.input.clone(), f.input_checked))
            .unwrap_or_default();
        let d = self.details(|| Details::State {
            exited: false,
            name: state.name.clone(),
            payload: input.clone(),
            assigned: None,
        });
        let ev = self.emit_for(id, state_event(&state.kind, false), d);
        self.last_entered = Some((ev, state.name.clone()));
        let insp = self.options.record_history.then(|| {
            self.inspections
                .push(StateInspection::new(state.name.clone(), ev, input.clone()));
            self.inspections.len() - 1
        });
        let now = self.now;
        if let Some(f) = self.frames.get_mut(id) {
            f.entered_event = ev;
            f.entered_time = now;
            if !(f.retry_counts.is_empty() && state.retry.is_empty()) {
                f.retry_counts = vec![0; state.retry.len()];
            }
            f.retry_total = 0;
            f.inspection = insp;
            f.phase = Phase::Run;
        }
        // An input that is the previous state's output passed this check when it left.
        if !checked && exceeds_bytes(&input, self.max_payload()) {
            let fault = Fault::new(
                "States.DataLimitExceeded",
                format!("The state '{}' received an input with a size exceeding the maximum number of bytes service limit.", state.name),
            );
            self.finish_frame(id, Err(fault));
        }
    }

    fn run_state(&mut self, id: usize, services: &mut dyn Integration) {
        let Some(state) = self.state_of(id) else {
            return;
        };
        let input = self
            .frames
            .get(id)
            .map(|f| f.input.clone())
            .unwrap_or_default();
        let outcome = match self.body(id, &state, &input, services) {
            Ok(o) => o,
            Err(f) => Outcome::Fail(f),
        };
        self.after_body(id, outcome);
    }

    pub(super) fn after_body_pub(&mut self, id: usize, outcome: Outcome) {
        self.after_body(id, outcome)
    }

    fn after_body(&mut self, id: usize, outcome: Outcome) {
        let Some(state) = self.state_of(id) else {
            return;
        };
        match outcome {
            Outcome::Pending => {}
            Outcome::Fail(fault) => self.handle_fault(id, &state, fault),
            Outcome::Exit { output, next } => {
                let output = match &state.output_path {
                    PathField::Default => Ok(output),
                    field => {
                        let ctx = self.context(id);
                        let variables = self.variables(id);
                        let scope = Scope {
                            input: &output,
                            context: &ctx,
                            variables: &*variables,
                        };
                        apply_path_in(field, &scope).map(Arc::new)
                    }
                };
                let output = match output {
                    Ok(o) => o,
                    Err(e) => {
                        let fault = self.payload_fault(id, e);
                        self.handle_fault(id, &state, fault);
                        return;
                    }
                };
                let max = self.max_payload();
                if crate::payload::within_limits(&output, max) {
                    self.exit_state(id, &state, output, next.as_deref());
                    return;
                }
                if crate::payload::exceeds_depth(&output, crate::limits::MAX_JSON_DEPTH) {
                    let fault = Fault::new(
                        "States.Runtime",
                        format!(
                            "{}The state output is nested more than {} levels deep.",
                            self.prefix(id),
                            crate::limits::MAX_JSON_DEPTH
                        ),
                    );
                    self.handle_fault(id, &state, fault);
                    return;
                }
                if exceeds_bytes(&output, max) {
                    let fault = Fault::new(
                        "States.DataLimitExceeded",
                        format!("The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.", state.name),
                    );
                    self.handle_fault(id, &state, fault);
                    return;
                }
                self.exit_state(id, &state, output, next.as_deref());
            }
        }
    }

    fn exit_state(&mut self, id: usize, state: &State, output: Arc<Value>, next: Option<&str>) {
        if matches!(state.kind, StateKind::Fail(_)) {
            return;
        }
        let assigned = self.settle_assignments(id, true);
        let d = self.details(|| Details::State {
            exited: true,
            name: state.name.clone(),
            payload: output.clone(),
            assigned: assigned.map(Box::new),
        });
        self.emit_for(id, state_event(&state.kind, true), d);
        let next = next.or(match &state.transition {
            Transition::Next(n) => Some(n.as_str()),
            _ => None,
        });
        let target = next.map(|n| self.target(id, n));
        self.inspect(id, |i| {
            i.output = Some(output.clone());
            i.next_state = target.as_ref().map(|(name, _)| name.clone());
        });
        match target {
            Some(t) => {
                self.goto_target(id, t, output);
                if let Some(f) = self.frames.get_mut(id) {
                    // after_body checked the output's size.
                    f.input_checked = true;
                }
            }
            None => self.finish_frame(id, Ok(Arc::unwrap_or_clone(output))),
        }
    }

    /// The state named `next` in frame `id`'s block: its shared name and position.
    fn target(&self, id: usize, next: &str) -> (Arc<str>, Option<usize>) {
        let found = self.frames.get(id).and_then(|f| {
            let i = f.list.index_of(next)?;
            Some((f.list.states.get(i)?.name.clone(), Some(i)))
        });
        found.unwrap_or_else(|| (Arc::from(next), None))
    }

    fn goto(&mut self, id: usize, next: &str, input: Arc<Value>) {
        let target = self.target(id, next);
        self.goto_target(id, target, input);
    }

    fn goto_target(&mut self, id: usize, target: (Arc<str>, Option<usize>), input: Arc<Value>) {
        if let Some(f) = self.frames.get_mut(id) {
            (f.current, f.state) = target;
            f.input = input;
            f.input_checked = false;
            f.phase = Phase::Enter;
        }
    }

    pub(super) fn finish_frame(&mut self, id: usize, outcome: Result<Value, Fault>) {
        if let Err(fault) = &outcome {
            let details = ErrorDetails {
                error: fault.error.clone(),
                cause: fault.cause.clone(),
            };
            self.inspect(id, |i| i.error_details = Some(Box::new(details)));
        }
        let parent = self.frames.get_mut(id).and_then(|f| {
            f.phase = Phase::Finished;
            f.parent
        });
        match parent
            .and_then(|p| self.frames.get_mut(p))
            .map(|f| &mut f.phase)
        {
            Some(Phase::Composite(c)) => c.finished.push_back((id, outcome)),
            _ if id == 0 => self.root_outcome = Some(outcome),
            // A child whose Parallel / Map has already ended (aborted): nobody reads it.
            _ => {}
        }
    }

    /// Retry, then Catch, then fail the frame.
    pub(super) fn handle_fault(&mut self, id: usize, state: &State, fault: Fault) {
        self.settle_assignments(id, false);
        let details = ErrorDetails {
            error: fault.error.clone(),
            cause: fault.cause.clone(),
        };
        self.inspect(id, |i| i.error_details = Some(Box::new(details)));
        if let Some((i, r)) = state
            .retry
            .iter()
            .enumerate()
            .find(|(_, r)| fault.matched_by(&r.error_equals))
        {
            let used = self
                .frames
                .get(id)
                .and_then(|f| f.retry_counts.get(i).copied())
                .unwrap_or(0);
            if used < r.max_attempts {
                let mut delay = r.interval_seconds * r.backoff_rate.powi(used.min(1000) as i32);
                if let Some(m) = r.max_delay_seconds {
                    delay = delay.min(m);
                }
                delay = delay.min(MAX_RETRY_DELAY_SECONDS);
                if r.jitter == crate::definition::model::Jitter::Full {
                    delay *= self.random.next_f64();
                }
                let until = self.now.saturating_add((delay * 1000.0) as i64);
                if let Some(f) = self.frames.get_mut(id) {
                    if let Some(c) = f.retry_counts.get_mut(i) {
                        *c += 1;
                    }
                    f.retry_total += 1;
                    f.phase = Phase::Sleep {
                        until,
                        then: Wake::Run,
                    };
                }
                return;
            }
        }
        if let Some(c) = state
            .catch
            .iter()
            .find(|c| fault.matched_by(&c.error_equals))
        {
            let input = self
                .frames
                .get(id)
                .map(|f| f.input.clone())
                .unwrap_or_default();
            let mut obj = Map::new();
            if let Some(e) = &fault.error {
                obj.insert("Error".into(), json!(e));
            }
            if let Some(cause) = &fault.cause {
                obj.insert("Cause".into(), json!(cause));
            }
            let error_output = Arc::new(Value::Object(obj));
            let extra = Extra {
                result: None,
                error_output: Some(&error_output),
            };
            let left = self.leave_with(
                id,
                state.jsonata,
                c.assign.as_ref(),
                c.output.as_ref(),
                &input,
                extra,
                error_output.clone(),
            );
            let out = match left {
                Ok(out) if state.jsonata => Ok(Arc::unwrap_or_clone(out)),
                Ok(_) => {
                    apply_result_path(&c.result_path, &input, Arc::unwrap_or_clone(error_output))
                        .map_err(|e| self.payload_fault(id, e))
                }
                Err(f) => Err(f),
            };
            self.settle_assignments(id, out.is_ok());
            match out {
                Ok(out) => self.goto(id, &c.next, Arc::new(out)),
                Err(f) => self.finish_frame(id, Err(f)),
            }
            return;
        }
        self.finish_frame(id, Err(fault));
    }

    /// The state-type specific part.
    fn body(
        &mut self,
        id: usize,
        state: &State,
        input: &Arc<Value>,
        services: &mut dyn Integration,
    ) -> Result<Outcome, Fault> {
        let ctx = self.context(id);
        if let StateKind::Fail(f) = &state.kind {
            return Ok(Outcome::Fail(self.fail_fault(id, f, input, &ctx)?));
        }
        let effective = match &state.input_path {
            PathField::Default => input.clone(),
            field => {
                let variables = self.variables(id);
                let scope = Scope {
                    input,
                    context: &ctx,
                    variables: &*variables,
                };
                Arc::new(apply_path_in(field, &scope).map_err(|e| self.payload_fault(id, e))?)
            }
        };
        self.inspect(id, |i| i.after_input_path = Some(effective.clone()));
        match &state.kind {
            StateKind::Pass(p) => {
                let params = self.parameters(id, state, &effective, &ctx)?;
                let result = match &p.result {
                    Some(r) => Arc::new(r.clone()),
                    None => params,
                };
                self.finish_result(id, state, input, result, false)
            }
            StateKind::Task(t) => self.task(id, state, t, input, &effective, services),
            StateKind::Choice(c) => {
                for rule in &c.choices {
                    let hit = self.rule_matches(id, state, &rule.condition, &effective, &ctx)?;
                    if hit {
                        let output = self.leave_with(
                            id,
                            state.jsonata,
                            rule.assign.as_ref().or(state.assign.as_ref()),
                            rule.output.as_ref().or(state.output.as_ref()),
                            input,
                            Extra::default(),
                            effective,
                        )?;
                        return Ok(Outcome::Exit {
                            output,
                            next: Some(rule.next.clone()),
                        });
                    }
                }
                match &c.default {
                    Some(d) => Ok(Outcome::Exit {
                        output: self.leave_plain(id, state, input, effective)?,
                        next: Some(d.clone()),
                    }),
                    None => Err(Fault::new(
                        "States.NoChoiceMatched",
                        format!(
                            "{}No Choice Rule matched and no Default was specified.",
                            self.prefix(id)
                        ),
                    )),
                }
            }
            StateKind::Wait(w) => {
                let until = self.wait_until(id, w, input, &effective, &ctx)?;
                let effective = self.leave_plain(id, state, input, effective)?;
                if let Some(f) = self.frames.get_mut(id) {
                    f.effective = effective;
                    f.phase = Phase::Sleep {
                        until,
                        then: Wake::WaitExit,
                    };
                }
                Ok(Outcome::Pending)
            }
            StateKind::Succeed => Ok(Outcome::Exit {
                output: self.leave_plain(id, state, input, effective)?,
                next: None,
            }),
            StateKind::Parallel(_) | StateKind::Map(_) => {
                self.start_composite(id, state, effective, &ctx)?;
                Ok(Outcome::Pending)
            }
            StateKind::Fail(_) => Ok(Outcome::Pending),
        }
    }

    pub(super) fn parameters(
        &mut self,
        id: usize,
        state: &State,
        effective: &Arc<Value>,
        ctx: &Value,
    ) -> Result<Arc<Value>, Fault> {
        if state.jsonata {
            let Some(args) = &state.arguments else {
                return Ok(effective.clone());
            };
            let states = self.states_object(id, effective, Extra::default());
            let v = Arc::new(self.eval_field(id, args, "Arguments", &states)?);
            self.inspect(id, |i| i.after_parameters = Some(v.clone()));
            return Ok(v);
        }
        let Some(tpl) = &state.parameters else {
            return Ok(effective.clone());
        };
        let variables = self.variables(id);
        let scope = Scope {
            input: effective,
            context: ctx,
            variables: &*variables,
        };
        let v = Arc::new(
            tpl.apply_in(&scope, &mut self.random)
                .map_err(|e| self.payload_fault(id, e))?,
        );
        self.inspect(id, |i| i.after_parameters = Some(v.clone()));
        Ok(v)
    }

    /// ResultSelector (when `select`), ResultPath; returns the exit outcome.
    pub(super) fn finish_result(
        &mut self,
        id: usize,
        state: &State,
        input: &Arc<Value>,
        result: Arc<Value>,
        select: bool,
    ) -> Result<Outcome, Fault> {
        self.inspect(id, |i| i.result = Some(result.clone()));
        if state.jsonata {
            let extra = Extra {
                result: Some(&result),
                error_output: None,
            };
            let output = self.leave_with(
                id,
                true,
                state.assign.as_ref(),
                state.output.as_ref(),
                input,
                extra,
                result.clone(),
            )?;
            return Ok(Outcome::Exit { output, next: None });
        }
        let result = match (&state.result_selector, select) {
            (Some(tpl), true) => {
                let ctx = self.context(id);
                let variables = self.variables(id);
                let scope = Scope {
                    input: &result,
                    context: &ctx,
                    variables: &*variables,
                };
                let v = Arc::new(
                    tpl.apply_in(&scope, &mut self.random)
                        .map_err(|e| self.payload_fault(id, e))?,
                );
                self.inspect(id, |i| i.after_result_selector = Some(v.clone()));
                v
            }
            _ => result,
        };
        let result = self.leave_with(
            id,
            false,
            state.assign.as_ref(),
            None,
            input,
            Extra::default(),
            result,
        )?;
        let out = match &state.result_path {
            PathField::Default => result,
            PathField::Path(p) if p.as_str() == "$" => result,
            PathField::Null => input.clone(),
            field => Arc::new(
                apply_result_path(field, input, Arc::unwrap_or_clone(result))
                    .map_err(|e| self.payload_fault(id, e))?,
            ),
        };
        self.inspect(id, |i| i.after_result_path = Some(out.clone()));
        Ok(Outcome::Exit {
            output: out,
            next: None,
        })
    }

    fn fail_fault(
        &mut self,
        id: usize,
        f: &FailState,
        input: &Value,
        ctx: &Value,
    ) -> Result<Fault, Fault> {
        let error_expr = match &f.error {
            Some(StringSource::Expr(e)) => Some(self.fail_text(id, e, "Error", input)?),
            _ => None,
        };
        let cause_expr = match &f.cause {
            Some(StringSource::Expr(e)) => Some(self.fail_text(id, e, "Cause", input)?),
            _ => None,
        };
        let variables = self.variables(id);
        let scope = Scope {
            input,
            context: ctx,
            variables: &*variables,
        };
        let mut get = |src: &Option<StringSource>, field: &str| -> Result<Option<String>, Fault> {
            match src {
                None => Ok(None),
                Some(StringSource::Literal(s)) => Ok(Some(s.clone())),
                Some(StringSource::Path(p)) => match p.select_in(&scope) {
                    Some(Value::String(s)) => Ok(Some(s)),
                    Some(other) => Ok(Some(to_text(&other))),
                    None => Err(Fault::new(
                        "States.Runtime",
                        format!(
                            "{}The JSONPath '{}' specified for the field '{field}' could not be found in the input '{}'",
                            self.prefix(id),
                            p.as_str(),
                            to_text(input)
                        ),
                    )),
                },
                Some(StringSource::Intrinsic(i)) => match i.eval_in(&scope, None, &mut self.random) {
                    Ok(Value::String(s)) => Ok(Some(s)),
                    Ok(other) => Ok(Some(to_text(&other))),
                    Err(e) => Err(e.into()),
                },
                Some(StringSource::Expr(_)) => Ok(None),
            }
        };
        let error = match error_expr {
            Some(e) => Some(e),
            None => get(&f.error, "ErrorPath")?,
        };
        let cause = match cause_expr {
            Some(c) => Some(c),
            None => get(&f.cause, "CausePath")?,
        };
        Ok(Fault {
            error,
            cause,
            from_task: false,
            heartbeat: false,
        })
    }

    fn number_at(
        &mut self,
        id: usize,
        src: &NumberSource,
        field: &str,
        effective: &Value,
        ctx: &Value,
    ) -> Result<f64, Fault> {
        // Percentages may be fractional; every other `...Path` number is an integer.
        let fractional = field == "ToleratedFailurePercentage";
        match src {
            NumberSource::Literal(n) => Ok(*n),
            NumberSource::Expr(f) => {
                let states = self.states_object(id, effective, Extra::default());
                let v = self.eval_field(id, f, field, &states)?;
                match &v {
                    Value::Number(n) if fractional || v.as_u64().is_some() => {
                        Ok(n.as_f64().unwrap_or(0.0))
                    }
                    other => Err(self.unexpected_type(id, f, field, "integer", other)),
                }
            }
            NumberSource::Path(p) => match p.select_in(&Scope {
                input: effective,
                context: ctx,
                variables: &*self.variables(id),
            }) {
                Some(v) if v.as_u64().is_some() => Ok(v.as_u64().unwrap_or(0) as f64),
                Some(Value::Number(n)) if fractional => Ok(n.as_f64().unwrap_or(-1.0)),
                // AWS reads the value's text as an integer: a string "2" is 2 (recorded for
                // ReaderConfig.MaxItemsPath through a variable), "1.5" and {} are refused.
                Some(Value::String(s)) if s.parse::<u64>().is_ok() => {
                    Ok(s.parse::<u64>().unwrap_or(0) as f64)
                }
                Some(v) => Err(Fault::new(
                    "States.Runtime",
                    format!(
                        "{}The {field}Path field refers to value \"{}\" which is not a valid integer: {}",
                        self.prefix(id),
                        crate::jsonpath::render::java_value(&v),
                        p.as_str()
                    ),
                )),
                None => Err(Fault::new(
                    "States.Runtime",
                    format!("{}{}", self.prefix(id), crate::payload::invalid_path_message(p, effective, ctx)),
                )),
            },
        }
    }

    pub(super) fn optional_number(
        &mut self,
        id: usize,
        src: &Option<NumberSource>,
        field: &str,
        effective: &Value,
        ctx: &Value,
    ) -> Result<Option<f64>, Fault> {
        match src {
            None => Ok(None),
            Some(s) => self.number_at(id, s, field, effective, ctx).map(Some),
        }
    }

    fn wait_until(
        &mut self,
        id: usize,
        w: &WaitState,
        input: &Value,
        effective: &Value,
        ctx: &Value,
    ) -> Result<i64, Fault> {
        if let WaitState::Expr(field, f) = w {
            let states = self.states_object(id, input, Extra::default());
            let v = self.eval_field(id, f, field, &states)?;
            return self.wait_expr(id, field, f, &v);
        }
        let rt = |msg: String| Fault::new("States.Runtime", format!("{}{msg}", self.prefix(id)));
        let variables = self.variables(id);
        let scope = Scope {
            input: effective,
            context: ctx,
            variables: &*variables,
        };
        let seconds = match w {
            WaitState::Expr(..) => 0.0,
            WaitState::Seconds(s) => *s,
            WaitState::SecondsPath(p) => match p.select_in(&scope) {
                Some(v) => match v.as_f64() {
                    Some(n) if n < 0.0 => {
                        return Err(rt(format!("The SecondsPath parameter references a negative value: {} == {}", p.as_str(), to_text(&v))))
                    }
                    Some(n) if n.fract() == 0.0 => n,
                    _ => {
                        return Err(rt(format!("The SecondsPath parameter does not reference a valid integer value: {} == {}", p.as_str(), to_text(&v))))
                    }
                },
                None => return Err(rt(crate::payload::invalid_path_message(p, effective, ctx))),
            },
            WaitState::Timestamp(t) => {
                let at = parse_timestamp(t).map(|x| x.0).unwrap_or(self.now);
                return self.check_delay(id, at);
            }
            WaitState::TimestampPath(p) => match p.select_in(&scope) {
                Some(v) => match v.as_str().and_then(parse_timestamp) {
                    Some((at, _)) => return self.check_delay(id, at),
                    None => {
                        let shown = match &v {
                            Value::String(s) => s.clone(),
                            other => to_text(other),
                        };
                        return Err(rt(format!(
                            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {} == {shown}",
                            p.as_str()
                        )));
                    }
                },
                None => return Err(rt(crate::payload::invalid_path_message(p, effective, ctx))),
            },
        };
        if seconds > MAX_WAIT_SECONDS {
            return Err(rt("Wait state delay is too long.".into()));
        }
        Ok(self.now.saturating_add((seconds * 1000.0) as i64))
    }

    /// The end of a JSONata Wait from its `Seconds` or `Timestamp` value.
    fn wait_expr(
        &self,
        id: usize,
        field: &str,
        f: &crate::jsonata::Field,
        v: &Value,
    ) -> Result<i64, Fault> {
        if field == "Timestamp" {
            return match v.as_str().and_then(parse_timestamp) {
                Some((at, _)) => self.check_delay(id, at),
                None => {
                    let shown = v.as_str().map_or_else(|| to_text(v), str::to_string);
                    Err(self.query_fault(id, &format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {shown}")))
                }
            };
        }
        match v.as_f64() {
            Some(n) if n >= 0.0 && n.fract() == 0.0 => {
                if n > MAX_WAIT_SECONDS {
                    return Err(Fault::new(
                        "States.Runtime",
                        format!("{}Wait state delay is too long.", self.prefix(id)),
                    ));
                }
                Ok(self.now.saturating_add((n * 1000.0) as i64))
            }
            _ => Err(self.unexpected_type(id, f, "Seconds", "integer", v)),
        }
    }

    /// Whether a Choice rule matches: a JSONPath condition, or a JSONata `Condition`.
    fn rule_matches(
        &mut self,
        id: usize,
        state: &State,
        condition: &crate::definition::model::Condition,
        effective: &Arc<Value>,
        ctx: &Value,
    ) -> Result<bool, Fault> {
        if let crate::definition::model::Condition::Jsonata(f) = condition {
            let states = self.states_object(id, effective, Extra::default());
            let v = self.eval_field(id, f, "Condition", &states)?;
            return match v {
                Value::Bool(b) => Ok(b),
                other => Err(self.unexpected_type(id, f, "Condition", "boolean", &other)),
            };
        }
        let _ = state;
        let variables = self.variables(id);
        let scope = Scope {
            input: effective,
            context: ctx,
            variables: &*variables,
        };
        evaluate_in(condition, &scope)
            .map_err(|e| Fault::new("States.Runtime", format!("{}{}", self.prefix(id), e.0)))
    }

    /// Leaves a state that has no result (Choice by Default, Wait, Succeed) through its
    /// Assign and Output.
    fn leave_plain(
        &mut self,
        id: usize,
        state: &State,
        input: &Value,
        effective: Arc<Value>,
    ) -> Result<Arc<Value>, Fault> {
        self.leave_with(
            id,
            state.jsonata,
            state.assign.as_ref(),
            state.output.as_ref(),
            input,
            Extra::default(),
            effective,
        )
    }

    /// A Fail state's JSONata `Error` or `Cause`.
    fn fail_text(
        &mut self,
        id: usize,
        f: &crate::jsonata::Field,
        field: &str,
        input: &Value,
    ) -> Result<String, Fault> {
        let states = self.states_object(id, input, Extra::default());
        Ok(match self.eval_field(id, f, field, &states)? {
            Value::String(s) => s,
            other => to_text(&other),
        })
    }

    fn check_delay(&self, id: usize, at: i64) -> Result<i64, Fault> {
        if (at - self.now) as f64 > MAX_WAIT_SECONDS * 1000.0 {
            return Err(Fault::new(
                "States.Runtime",
                format!("{}Wait state delay is too long.", self.prefix(id)),
            ));
        }
        Ok(at.max(self.now))
    }
}
