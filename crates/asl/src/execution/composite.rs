//! Parallel and Map: starting children, collecting their ends in order, tolerated
//! failures, and aborting the rest when one fails.

use super::context::with_map_item;
use super::frame::{Composite, CompositeKind, Fault, Frame, Phase};
use super::states::Outcome;
use super::Execution;
use crate::definition::model::{PathField, State, StateKind};
use crate::limits::MAX_MAP_ITEMS;
use crate::payload::{apply_template, to_text};
use serde_json::{json, Value};
use std::collections::VecDeque;

impl Execution {
    pub(super) fn start_composite(
        &mut self,
        id: usize,
        state: &State,
        effective: Value,
        ctx: &Value,
    ) -> Result<(), Fault> {
        let composite = match &state.kind {
            StateKind::Parallel(p) => {
                let input = self.parameters(id, state, &effective, ctx)?;
                self.emit(id, "ParallelStateStarted", Value::Null);
                let last = self.frames.get(id).map(|f| f.last_event).unwrap_or(0);
                let mut children = Vec::new();
                for b in &p.branches {
                    self.frames.push(Frame::new(b.clone(), input.clone(), last));
                    children.push(self.frames.len() - 1);
                }
                let n = children.len();
                Composite {
                    kind: CompositeKind::Parallel,
                    children,
                    pending: VecDeque::new(),
                    results: vec![Value::Null; n],
                    reported: vec![false; n],
                    cursor: 0,
                    max_concurrency: 0,
                    tolerated_count: None,
                    tolerated_percentage: None,
                    failures: 0,
                    total: n,
                }
            }
            StateKind::Map(m) => {
                let items_value = match &m.items_path {
                    PathField::Path(p) => p.select(&effective, ctx).ok_or_else(|| {
                        Fault::new(
                            "States.Runtime",
                            format!(
                                "{}{}",
                                self.prefix(id),
                                crate::payload::invalid_path_message(p, &effective, ctx)
                            ),
                        )
                    })?,
                    _ => effective.clone(),
                };
                let items_value2 = items_value.clone();
                self.inspect(id, |i| i.after_items_path = Some(items_value2));
                let Value::Array(items) = items_value else {
                    return Err(Fault::new(
                        "States.Runtime",
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
                let mut pending = VecDeque::new();
                let mut selected = Vec::new();
                for (i, item) in items.into_iter().enumerate() {
                    let v = match selector {
                        Some(tpl) => {
                            let c = with_map_item(ctx.clone(), i, &item);
                            apply_template(tpl, &effective, &c, &mut self.random)
                                .map_err(|e| self.payload_fault(id, e))?
                        }
                        None => item,
                    };
                    if selector.is_some() {
                        selected.push(v.clone());
                    }
                    pending.push_back((i, v));
                }
                if selector.is_some() {
                    self.inspect(id, |i| i.after_item_selector = Some(Value::Array(selected)));
                }
                let n = pending.len();
                self.inspect(id, |i| {
                    i.max_concurrency = max.map(|x| x as u64);
                    i.tolerated_failure_count = count.map(|x| x as u64);
                    i.tolerated_failure_percentage = pct;
                });
                self.emit(id, "MapStateStarted", json!({"length": n}));
                Composite {
                    kind: CompositeKind::Map,
                    children: Vec::new(),
                    pending,
                    results: vec![Value::Null; n],
                    reported: Vec::new(),
                    cursor: 0,
                    max_concurrency: max.map(|x| x as usize).unwrap_or(0),
                    tolerated_count: count.map(|x| x as u64),
                    tolerated_percentage: pct,
                    failures: 0,
                    total: n,
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
        let Some(c) = self.composite_mut(id).map(|c| c.clone()) else {
            return;
        };
        // 1. Report the first finished child not yet reported.
        for (k, &child) in c.children.iter().enumerate() {
            if c.reported.get(k).copied().unwrap_or(true) {
                continue;
            }
            let Some(outcome) = self.frames.get(child).and_then(|f| f.outcome.clone()) else {
                continue;
            };
            let index = self
                .frames
                .get(child)
                .and_then(|f| f.map_index)
                .unwrap_or(k);
            if let Some(cm) = self.composite_mut(id) {
                if let Some(r) = cm.reported.get_mut(k) {
                    *r = true;
                }
            }
            match (c.kind, outcome) {
                (CompositeKind::Map, Ok(v)) => {
                    self.emit(
                        id,
                        "MapIterationSucceeded",
                        json!({"name": state.name, "index": index}),
                    );
                    if let Some(cm) = self.composite_mut(id) {
                        if let Some(slot) = cm.results.get_mut(index) {
                            *slot = v;
                        }
                    }
                }
                (CompositeKind::Parallel, Ok(v)) => {
                    if let Some(cm) = self.composite_mut(id) {
                        if let Some(slot) = cm.results.get_mut(k) {
                            *slot = v;
                        }
                    }
                }
                (CompositeKind::Map, Err(fault)) => {
                    self.emit(
                        id,
                        "MapIterationFailed",
                        json!({"name": state.name, "index": index}),
                    );
                    let failures = c.failures + 1;
                    if let Some(cm) = self.composite_mut(id) {
                        cm.failures = failures;
                        if let Some(slot) = cm.results.get_mut(index) {
                            *slot = json!({"Error": fault.error, "Cause": fault.cause});
                        }
                    }
                    let tolerated = c.tolerated_count.is_some_and(|n| failures <= n)
                        || c.tolerated_percentage.is_some_and(|p| {
                            c.total > 0 && (failures as f64) * 100.0 / (c.total as f64) <= p
                        });
                    if !tolerated {
                        let fault =
                            if c.tolerated_count.is_some() || c.tolerated_percentage.is_some() {
                                Fault::new(
                                    "States.ExceedToleratedFailureThreshold",
                                    "The specified tolerated failure threshold was exceeded",
                                )
                            } else {
                                fault
                            };
                        self.abort_children(id, &state.name, &c);
                        self.emit(id, "MapStateFailed", Value::Null);
                        self.handle_fault(id, &state, fault);
                    }
                }
                (CompositeKind::Parallel, Err(fault)) => {
                    self.abort_children(id, &state.name, &c);
                    self.emit(id, "ParallelStateFailed", Value::Null);
                    self.handle_fault(id, &state, fault);
                }
            }
            return;
        }
        // 2. Start the next Map iteration if concurrency allows.
        let running = c
            .children
            .iter()
            .filter(|ch| self.frames.get(**ch).is_some_and(|f| f.outcome.is_none()))
            .count();
        if !c.pending.is_empty() && (c.max_concurrency == 0 || running < c.max_concurrency) {
            let Some((index, item)) = self.composite_mut(id).and_then(|cm| cm.pending.pop_front())
            else {
                return;
            };
            let ev = self.emit(
                id,
                "MapIterationStarted",
                json!({"name": state.name, "index": index}),
            );
            let StateKind::Map(m) = &state.kind else {
                return;
            };
            let mut frame = Frame::new(m.processor.clone(), item, ev);
            frame.map_index = Some(index);
            self.frames.push(frame);
            let child = self.frames.len() - 1;
            if let Some(cm) = self.composite_mut(id) {
                cm.children.push(child);
                cm.reported.push(false);
            }
            return;
        }
        // 3. Everything finished.
        if c.pending.is_empty() && c.reported.iter().all(|r| *r) {
            let kind = if c.kind == CompositeKind::Map {
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
            let outcome =
                match self.finish_result(id, &state, &input, Value::Array(c.results), true) {
                    Ok(o) => o,
                    Err(f) => Outcome::Fail(f),
                };
            self.after_body_pub(id, outcome);
        }
    }

    fn abort_children(&mut self, id: usize, name: &str, c: &Composite) {
        for &child in &c.children {
            let running = self.frames.get(child).is_some_and(|f| f.outcome.is_none());
            if running {
                let index = self.frames.get(child).and_then(|f| f.map_index);
                if let Some(f) = self.frames.get_mut(child) {
                    f.outcome = Some(Err(Fault::new("States.Aborted", "Aborted")));
                    f.phase = Phase::Finished;
                }
                if let Some(index) = index {
                    self.emit(
                        id,
                        "MapIterationAborted",
                        json!({"name": name, "index": index}),
                    );
                }
            }
        }
        if let Some(cm) = self.composite_mut(id) {
            cm.pending.clear();
        }
    }
}
