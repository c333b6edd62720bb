//! Parallel and Map: starting children, collecting their ends in order, tolerated
//! failures, and aborting the rest when one fails.

use super::context::with_map_item;
use super::frame::{Composite, CompositeKind, Fault, Frame, Pending, Phase};
use super::states::Outcome;
use super::Execution;
use crate::definition::model::{MapState, PathField, ProcessorMode, State, StateKind};
use crate::limits::MAX_MAP_ITEMS;
use crate::payload::to_text;
use crate::template::Template;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::Arc;

impl Execution {
    pub(super) fn start_composite(
        &mut self,
        id: usize,
        state: &State,
        effective: Arc<Value>,
        ctx: &Value,
    ) -> Result<(), Fault> {
        let composite = match &state.kind {
            StateKind::Parallel(p) => {
                let input = self.parameters(id, state, &effective, ctx)?;
                self.emit(id, "ParallelStateStarted", Value::Null);
                let last = self.frames.get(id).map(|f| f.last_event).unwrap_or(0);
                let mut children = Vec::new();
                let variables = self.variables(id);
                for (i, b) in p.branches.iter().enumerate() {
                    let mut frame = Frame::new(b.clone(), input.clone(), last);
                    frame.variables = variables.clone();
                    frame.parent = Some(id);
                    frame.map_index = Some(i);
                    self.frames.push(frame);
                    children.push(self.frames.len() - 1);
                }
                let n = children.len();
                Composite {
                    kind: CompositeKind::Parallel,
                    active: children,
                    finished: VecDeque::new(),
                    pending: Pending::default(),
                    results: vec![Value::Null; n],
                    cursor: 0,
                    running: n,
                    max_concurrency: 0,
                    tolerated_count: None,
                    tolerated_percentage: None,
                    failures: 0,
                    total: n,
                    map_run: None,
                }
            }
            StateKind::Map(m) => {
                let items_value = if let Some(reader) = &m.item_reader {
                    Arc::new(Value::Array(
                        self.reader_items(id, reader, &effective, ctx)?,
                    ))
                } else if state.jsonata {
                    self.jsonata_items(id, m, &effective)?
                } else {
                    match &m.items_path {
                        PathField::Path(p) => {
                            let variables = self.variables(id);
                            let scope = crate::jsonpath::Scope {
                                input: &effective,
                                context: ctx,
                                variables: &*variables,
                            };
                            Arc::new(p.select_in(&scope).ok_or_else(|| {
                                Fault::new(
                                    "States.Runtime",
                                    format!(
                                        "{}{}",
                                        self.prefix(id),
                                        crate::payload::invalid_path_message(p, &effective, ctx)
                                    ),
                                )
                            })?)
                        }
                        _ => effective.clone(),
                    }
                };
                let items_value2 = items_value.clone();
                self.inspect(id, |i| i.map_mut().after_items_path = Some(items_value2));
                let Value::Array(items) = &*items_value else {
                    let error = if state.jsonata {
                        crate::jsonata::QUERY_EVALUATION_ERROR
                    } else {
                        "States.Runtime"
                    };
                    return Err(Fault::new(
                        error,
                        format!(
                            "{}Map state input must be an array but was: {}",
                            self.prefix(id),
                            to_text(&items_value)
                        ),
                    ));
                };
                if items.len() > MAX_MAP_ITEMS {
                    return Err(Fault::new(
                        "States.Runtime",
                        format!("{}The Map state has too many items.", self.prefix(id)),
                    ));
                }
                let max = self.optional_number(
                    id,
                    &m.max_concurrency,
                    "MaxConcurrency",
                    &effective,
                    ctx,
                )?;
                let count = self.optional_number(
                    id,
                    &m.tolerated_failure_count,
                    "ToleratedFailureCount",
                    &effective,
                    ctx,
                )?;
                let pct = self.optional_number(
                    id,
                    &m.tolerated_failure_percentage,
                    "ToleratedFailurePercentage",
                    &effective,
                    ctx,
                )?;
                if pct.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
                    return Err(Fault::new(
                        "States.Runtime",
                        format!(
                            "{}ToleratedFailurePercentage must be between 0 and 100.",
                            self.prefix(id)
                        ),
                    ));
                }
                let selector = m.item_selector.as_ref().or(state.parameters.as_ref());
                // Each item gets its own `$$` (for `$$.Map.Item`); leave the execution input
                // out of it unless the selector reads it, so many items stay cheap.
                let mut item_ctx = ctx.clone();
                if selector.is_some_and(|t| !to_text(t).contains("$$.Execution")) {
                    if let Some(exec) = item_ctx.get_mut("Execution").and_then(Value::as_object_mut)
                    {
                        exec.remove("Input");
                    }
                }
                let ctx = &item_ctx;
                let pending = if let Some(f) = &m.selector {
                    self.jsonata_selected_items(id, m, f, items, &effective, ctx)?
                } else if selector.is_none() && m.item_batcher.is_none() {
                    // Each iteration takes its item from the array when it starts.
                    Pending::from_array(items_value.clone())
                } else {
                    self.selected_items(id, m, selector, items, &effective, ctx)?
                };
                let n = pending.len();
                self.reserve_for_items(n);
                self.inspect(id, |i| {
                    let m = i.map_mut();
                    m.max_concurrency = max.map(|x| x as u64);
                    m.tolerated_failure_count = count.map(|x| x as u64);
                    m.tolerated_failure_percentage = pct;
                });
                self.emit(id, "MapStateStarted", json!({"length": n}));
                let map_run = (m.processor.processor_mode == Some(ProcessorMode::Distributed))
                    .then(|| {
                        let run = self.random.uuid();
                        let arn = self.map_run_arn(m, &run);
                        (run, arn)
                    });
                if let Some((_, arn)) = &map_run {
                    self.emit(id, "MapRunStarted", json!({"mapRunArn": arn}));
                }
                Composite {
                    kind: CompositeKind::Map,
                    active: Vec::new(),
                    finished: VecDeque::new(),
                    pending,
                    results: vec![Value::Null; n],
                    cursor: 0,
                    running: 0,
                    max_concurrency: max.map(|x| x as usize).unwrap_or(0),
                    tolerated_count: count.map(|x| x as u64),
                    tolerated_percentage: pct,
                    failures: 0,
                    total: n,
                    map_run,
                }
            }
            _ => return Ok(()),
        };
        if let Some(f) = self.frames.get_mut(id) {
            f.effective = effective;
            f.phase = Phase::Composite(Box::new(composite));
        }
        Ok(())
    }

    /// The iteration inputs of a Map with an ItemSelector (or the older Parameters) or an
    /// ItemBatcher, made before the first iteration starts.
    fn selected_items(
        &mut self,
        id: usize,
        m: &MapState,
        selector: Option<&Template>,
        items: &[Value],
        effective: &Value,
        ctx: &Value,
    ) -> Result<Pending, Fault> {
        // Sized at once: a large Map's items are not copied over as the queue grows.
        let mut inputs = Vec::with_capacity(items.len());
        let variables = self.variables(id);
        for (i, item) in items.iter().enumerate() {
            inputs.push(match selector {
                Some(tpl) => {
                    let c = with_map_item(ctx.clone(), i, item);
                    let scope = crate::jsonpath::Scope {
                        input: effective,
                        context: &c,
                        variables: &*variables,
                    };
                    tpl.apply_in(&scope, &mut self.random)
                        .map_err(|e| self.payload_fault(id, e))?
                }
                None => item.clone(),
            });
        }
        if selector.is_some() && self.options.record_history {
            let selected = Arc::new(Value::Array(inputs.clone()));
            self.inspect(id, |i| i.map_mut().after_item_selector = Some(selected));
        }
        if m.item_batcher.is_some() {
            inputs = self.batch_items(id, m, inputs, effective, ctx)?;
        }
        Ok(Pending::from_values(inputs))
    }

    /// A JSONata Map's items: its `Items` (an array, or an expression giving one), or the
    /// state input.
    fn jsonata_items(
        &mut self,
        id: usize,
        m: &MapState,
        effective: &Arc<Value>,
    ) -> Result<Arc<Value>, Fault> {
        let Some(f) = &m.items else {
            return Ok(effective.clone());
        };
        let states = self.states_object(id, effective, Default::default());
        let v = self.eval_field(id, f, "Items", &states)?;
        if f.expression().is_some() && !v.is_array() {
            return Err(self.unexpected_type(id, f, "Items", "array", &v));
        }
        Ok(Arc::new(v))
    }

    /// The iteration inputs of a JSONata Map with an `ItemSelector`.
    fn jsonata_selected_items(
        &mut self,
        id: usize,
        m: &MapState,
        f: &crate::jsonata::Field,
        items: &[Value],
        effective: &Arc<Value>,
        ctx: &Value,
    ) -> Result<Pending, Fault> {
        let mut inputs = Vec::with_capacity(items.len());
        // `$states` is built once; each item only swaps its `context.Map` in, so the
        // selection stays linear in the number of items.
        let mut states = self.states_object(id, effective, Default::default());
        if let Some(s) = states.as_object_mut() {
            s.insert("context".into(), ctx.clone());
        }
        for (i, item) in items.iter().enumerate() {
            if let Some(c) = states.get_mut("context") {
                let base = std::mem::take(c);
                *c = with_map_item(base, i, item);
            }
            inputs.push(self.eval_field(id, f, "ItemSelector", &states)?);
        }
        if self.options.record_history {
            let selected = Arc::new(Value::Array(inputs.clone()));
            self.inspect(id, |i| i.map_mut().after_item_selector = Some(selected));
        }
        if m.item_batcher.is_some() {
            inputs = self.batch_items(id, m, inputs, effective, ctx)?;
        }
        Ok(Pending::from_values(inputs))
    }

    /// Makes room at once for what `n` iterations record at least (a frame, an inspection
    /// and four events each), rather than growing (and copying) step by step. The history
    /// gets a few more slots for the events that follow the iterations (the Map's own
    /// `MapStateSucceeded`, `MapStateExited`, the next states'...), so that a large Map's
    /// history is not doubled (a copy, and twice its memory) for its last few events.
    fn reserve_for_items(&mut self, n: usize) {
        const EVENTS_AFTER: usize = 64;
        self.frames.reserve(n);
        if self.options.record_history {
            let room = self.max_events().saturating_sub(self.events);
            self.history
                .reserve(n.saturating_mul(4).saturating_add(EVENTS_AFTER).min(room));
            self.inspections.reserve(n);
        }
    }

    fn composite_mut(&mut self, id: usize) -> Option<&mut Composite> {
        match self.frames.get_mut(id).map(|f| &mut f.phase) {
            Some(Phase::Composite(c)) => Some(c),
            _ => None,
        }
    }

    pub(super) fn step_composite(&mut self, id: usize) {
        let Some(state) = self.state_of(id) else {
            return;
        };
        // 1. Report the next finished child.
        let popped = self.composite_mut(id).and_then(|c| {
            let (child, outcome) = c.finished.pop_front()?;
            c.running = c.running.saturating_sub(1);
            Some((
                child,
                outcome,
                c.kind,
                c.tolerated_count,
                c.tolerated_percentage,
                c.total,
            ))
        });
        if let Some((child, outcome, kind, tol_count, tol_pct, total)) = popped {
            self.compact(id);
            let (index, child_last) = match self.frames.get(child) {
                Some(f) => (f.map_index.unwrap_or(0), f.last_event),
                None => return,
            };
            // What the parent records next follows the child's last event, as on AWS.
            if let Some(f) = self.frames.get_mut(id) {
                f.last_event = f.last_event.max(child_last);
            }
            match (kind, outcome) {
                (CompositeKind::Map, Ok(v)) => {
                    self.emit_iteration(id, "MapIterationSucceeded", &state.name, index);
                    self.store_result(id, index, v);
                }
                (CompositeKind::Parallel, Ok(v)) => self.store_result(id, index, v),
                (CompositeKind::Map, Err(fault)) => {
                    self.emit_iteration(id, "MapIterationFailed", &state.name, index);
                    let failures = self
                        .composite_mut(id)
                        .map(|c| {
                            c.failures += 1;
                            c.failures
                        })
                        .unwrap_or(1);
                    self.store_result(
                        id,
                        index,
                        json!({"Error": fault.error, "Cause": fault.cause}),
                    );
                    let tolerated = tol_count.is_some_and(|n| failures <= n)
                        || tol_pct.is_some_and(|p| {
                            total > 0 && (failures as f64) * 100.0 / (total as f64) <= p
                        });
                    if !tolerated {
                        let fault = if tol_count.is_some() || tol_pct.is_some() {
                            Fault::new(
                                "States.ExceedToleratedFailureThreshold",
                                "The specified tolerated failure threshold was exceeded",
                            )
                        } else {
                            fault
                        };
                        self.abort_children(id, &state.name);
                        if self.composite_mut(id).is_some_and(|c| c.map_run.is_some()) {
                            self.emit(
                                id,
                                "MapRunFailed",
                                json!({"error": fault.error, "cause": fault.cause}),
                            );
                        }
                        self.emit(id, "MapStateFailed", Value::Null);
                        self.handle_fault(id, &state, fault);
                    }
                }
                (CompositeKind::Parallel, Err(fault)) => {
                    self.abort_children(id, &state.name);
                    self.emit(id, "ParallelStateFailed", Value::Null);
                    self.handle_fault(id, &state, fault);
                }
            }
            return;
        }
        // 2. Start the next Map iteration if concurrency allows.
        let next = self.composite_mut(id).and_then(|c| {
            if c.max_concurrency != 0 && c.running >= c.max_concurrency {
                return None;
            }
            let item = c.pending.pop_front()?;
            c.running += 1;
            Some(item)
        });
        if let Some((index, item)) = next {
            let ev = self.emit_iteration(id, "MapIterationStarted", &state.name, index);
            let StateKind::Map(m) = &state.kind else {
                return;
            };
            let mut frame = Frame::new(m.processor.clone(), Arc::new(item), ev);
            // A Distributed Map's iterations run as child executions: no outer variables.
            if m.processor.processor_mode != Some(ProcessorMode::Distributed) {
                frame.variables = self.variables(id);
            }
            frame.map_index = Some(index);
            frame.parent = Some(id);
            self.frames.push(frame);
            let child = self.frames.len() - 1;
            if let Some(c) = self.composite_mut(id) {
                c.active.push(child);
            }
            return;
        }
        // 3. Everything finished.
        let done = self
            .composite_mut(id)
            .filter(|c| c.pending.is_empty() && c.running == 0 && c.finished.is_empty())
            .map(|c| (std::mem::take(&mut c.results), c.map_run.take()));
        let Some((results, map_run)) = done else {
            return;
        };
        if map_run.is_some() {
            self.emit(id, "MapRunSucceeded", Value::Null);
        }
        let kind = if matches!(state.kind, StateKind::Map(_)) {
            "MapStateSucceeded"
        } else {
            "ParallelStateSucceeded"
        };
        self.emit(id, kind, Value::Null);
        let input = self
            .frames
            .get(id)
            .map(|f| f.input.clone())
            .unwrap_or_default();
        if let Some(f) = self.frames.get_mut(id) {
            f.phase = Phase::Run;
        }
        let result = match &state.kind {
            StateKind::Map(m) => self.write_results(id, m, Value::Array(results), map_run),
            _ => Ok(Value::Array(results)),
        };
        let result = match result {
            Ok(r) => r,
            Err(f) => {
                self.handle_fault(id, &state, f);
                return;
            }
        };
        let outcome = match self.finish_result(id, &state, &input, Arc::new(result), true) {
            Ok(o) => o,
            Err(f) => Outcome::Fail(f),
        };
        self.after_body_pub(id, outcome);
    }

    fn store_result(&mut self, id: usize, index: usize, v: Value) {
        if let Some(slot) = self
            .composite_mut(id)
            .and_then(|c| c.results.get_mut(index))
        {
            *slot = v;
        }
    }

    /// Drops finished children from `active` once they are the majority (amortized O(1)).
    fn compact(&mut self, id: usize) {
        let Some(c) = self.composite_mut(id) else {
            return;
        };
        if c.active.len() < 64 || c.running * 2 > c.active.len() {
            return;
        }
        let mut active = std::mem::take(&mut c.active);
        active.retain(|child| {
            self.frames
                .get(*child)
                .is_some_and(|f| !matches!(f.phase, Phase::Finished))
        });
        if let Some(c) = self.composite_mut(id) {
            c.active = active;
            c.cursor = 0;
        }
    }

    fn abort_children(&mut self, id: usize, name: &str) {
        let active = self
            .composite_mut(id)
            .map(|c| {
                c.pending.clear();
                c.finished.clear();
                c.running = 0;
                std::mem::take(&mut c.active)
            })
            .unwrap_or_default();
        let is_map = matches!(
            self.state_of(id).map(|s| s.kind.clone()),
            Some(StateKind::Map(_))
        );
        for child in active {
            let running = self
                .frames
                .get(child)
                .is_some_and(|f| !matches!(f.phase, Phase::Finished));
            if running {
                let index = self.frames.get(child).and_then(|f| f.map_index);
                if let Some(f) = self.frames.get_mut(child) {
                    f.phase = Phase::Finished;
                }
                if let (true, Some(index)) = (is_map, index) {
                    self.emit(
                        id,
                        "MapIterationAborted",
                        json!({"name": name, "index": index}),
                    );
                }
            }
        }
    }
}
