//! Checks over the built model that need the whole graph: transition targets, reachability,
//! terminal states and state names unique across the machine.

use super::model::*;
use crate::diagnostic::{codes, pointer_join, Diagnostic};
use std::collections::{HashMap, HashSet};

/// Adds the graph diagnostics of a machine.
pub fn validate(machine: &StateMachine, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut labels: HashSet<String> = HashSet::new();
    block(&machine.states, out, &mut seen, &mut labels, 0);
}

fn targets(state: &State) -> Vec<(String, String)> {
    let mut t = Vec::new();
    if let Transition::Next(n) = &state.transition {
        t.push((n.clone(), pointer_join(&state.pointer, "Next")));
    }
    if let StateKind::Choice(c) = &state.kind {
        for (i, rule) in c.choices.iter().enumerate() {
            t.push((
                rule.next.to_string(),
                format!("{}/Choices/{i}/Next", state.pointer),
            ));
        }
        if let Some(d) = &c.default {
            t.push((d.to_string(), pointer_join(&state.pointer, "Default")));
        }
    }
    for (i, c) in state.catch.iter().enumerate() {
        t.push((c.next.clone(), format!("{}/Catch/{i}/Next", state.pointer)));
    }
    t
}

fn block(
    list: &StateList,
    out: &mut Vec<Diagnostic>,
    seen: &mut HashMap<String, String>,
    labels: &mut HashSet<String>,
    depth: usize,
) {
    if depth > crate::limits::MAX_NESTING_DEPTH {
        return;
    }
    if list.states.is_empty() {
        return;
    }
    let names: HashSet<&str> = list.states.iter().map(|s| &*s.name).collect();
    if !list.start_at.is_empty() && !names.contains(list.start_at.as_str()) {
        out.push(Diagnostic::new(
            codes::MISSING_TRANSITION_TARGET,
            format!("Missing 'StartAt' target: {}", list.start_at),
            pointer_join(&list.pointer, "StartAt"),
        ));
    }
    for s in &list.states {
        if let Some(first) = seen.get(&*s.name) {
            out.push(Diagnostic::new(
                codes::DUPLICATE_STATE_NAME,
                format!("Duplicate State name: {} (also at {first})", s.name),
                s.pointer.clone(),
            ));
        } else {
            seen.insert(s.name.to_string(), s.pointer.clone());
        }
        for (t, ptr) in targets(s) {
            if !t.is_empty() && !names.contains(t.as_str()) {
                out.push(Diagnostic::new(
                    codes::MISSING_TRANSITION_TARGET,
                    format!("Missing 'Next' target: {t}"),
                    ptr,
                ));
            }
        }
        match &s.kind {
            StateKind::Parallel(p) => {
                for b in &p.branches {
                    block(b, out, seen, labels, depth + 1);
                }
            }
            StateKind::Map(m) => {
                if let Some(l) = &m.label {
                    if !labels.insert(l.clone()) {
                        out.push(Diagnostic::new(
                            codes::DUPLICATE_LABEL_NAME,
                            format!("Duplicate label name: {l}"),
                            pointer_join(&s.pointer, "Label"),
                        ));
                    }
                }
                block(&m.processor, out, seen, labels, depth + 1);
            }
            _ => {}
        }
    }
    // Reachability from StartAt.
    let mut reached: HashSet<&str> = HashSet::new();
    let mut stack = vec![list.start_at.as_str()];
    while let Some(n) = stack.pop() {
        if !reached.insert(n) {
            continue;
        }
        if let Some(s) = list.get(n) {
            for (t, _) in targets(s) {
                if let Some(ts) = list.get(&t) {
                    stack.push(&ts.name);
                }
            }
        }
    }
    for s in &list.states {
        if !reached.contains(&*s.name) && names.contains(list.start_at.as_str()) {
            out.push(Diagnostic::new(
                codes::UNREACHABLE_STATE,
                format!("State '{}' is not reachable", s.name),
                s.pointer.clone(),
            ));
        }
    }
    let terminal = list.states.iter().any(|s| {
        matches!(s.transition, Transition::End)
            || matches!(s.kind, StateKind::Succeed | StateKind::Fail(_))
    });
    if !terminal {
        out.push(Diagnostic::new(
            codes::MISSING_END_STATE,
            "The workflow does not have a terminal state",
            list.pointer.clone(),
        ));
    }
}
