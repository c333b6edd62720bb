//! Distributed Map inside the process: ItemReader through the bound [`ObjectStore`],
//! ItemBatcher, and ResultWriter's manifest and result files.

use super::frame::Fault;
use super::Execution;
use crate::definition::model::{MapState, NumberSource};
use crate::item_store::{batch, read_items, ObjectStore, NO_STORE_CAUSE};
use crate::jsonpath::JsonPath;
use crate::payload::{apply_template, to_text};
use serde_json::{json, Value};
use std::sync::Arc;

/// The store an execution reads and writes Distributed Map data with.
#[derive(Clone)]
pub struct StoreHandle(pub Arc<dyn ObjectStore>);

impl std::fmt::Debug for StoreHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ObjectStore")
    }
}

/// A number from `config[field]` or `config[field + "Path"]`.
fn number_field(config: &Value, field: &str) -> Option<NumberSource> {
    if let Some(n) = config.get(field).and_then(Value::as_f64) {
        return Some(NumberSource::Literal(n));
    }
    let p = config.get(format!("{field}Path"))?.as_str()?;
    JsonPath::parse(p).ok().map(NumberSource::Path)
}

impl Execution {
    /// Binds the object store Distributed Map's ItemReader and ResultWriter use.
    pub fn set_object_store(&mut self, store: Arc<dyn ObjectStore>) {
        self.store = Some(StoreHandle(store));
    }

    /// Builder form of [`Execution::set_object_store`].
    pub fn with_object_store(mut self, store: Arc<dyn ObjectStore>) -> Self {
        self.set_object_store(store);
        self
    }

    /// The ARN of a map run: `arn:aws:states:<region>:<account>:mapRun:<machine>/<label>:<id>`.
    pub(super) fn map_run_arn(&self, m: &MapState, run: &str) -> String {
        format!(
            "arn:aws:states:{}:{}:mapRun:{}/{}:{}",
            self.options.region,
            self.options.account_id,
            self.options.state_machine_name,
            m.label.clone().unwrap_or_default(),
            run
        )
    }

    /// Reads the ItemReader's items.
    pub(super) fn reader_items(
        &mut self,
        id: usize,
        reader: &Value,
        effective: &Value,
        ctx: &Value,
    ) -> Result<Vec<Value>, Fault> {
        let config = reader.get("ReaderConfig").cloned().unwrap_or(Value::Null);
        let max = self.optional_number(
            id,
            &number_field(&config, "MaxItems"),
            "MaxItems",
            effective,
            ctx,
        )?;
        let params = match reader.get("Parameters") {
            Some(tpl) => apply_template(tpl, effective, ctx, &mut self.random)
                .map_err(|e| self.payload_fault(id, e))?,
            None => json!({}),
        };
        let resource = reader
            .get("Resource")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(store) = self.store.clone() else {
            return Err(Fault::new("States.ItemReaderFailed", NO_STORE_CAUSE));
        };
        let max = max.map(|m| m as usize).unwrap_or(0);
        read_items(store.0.as_ref(), resource, &params, &config, max)
            .map_err(|(e, c)| Fault::new(e, c))
    }

    /// Applies ItemBatcher to the (selected) items.
    pub(super) fn batch_items(
        &mut self,
        id: usize,
        m: &MapState,
        items: Vec<Value>,
        effective: &Value,
        ctx: &Value,
    ) -> Result<Vec<Value>, Fault> {
        let Some(b) = &m.item_batcher else {
            return Ok(items);
        };
        let per_batch = self.optional_number(
            id,
            &number_field(b, "MaxItemsPerBatch"),
            "MaxItemsPerBatch",
            effective,
            ctx,
        )?;
        let bytes = self.optional_number(
            id,
            &number_field(b, "MaxInputBytesPerBatch"),
            "MaxInputBytesPerBatch",
            effective,
            ctx,
        )?;
        let batch_input = match b.get("BatchInput") {
            Some(tpl) => Some(
                apply_template(tpl, effective, ctx, &mut self.random)
                    .map_err(|e| self.payload_fault(id, e))?,
            ),
            None => None,
        };
        Ok(batch(
            items,
            per_batch.map(|n| n as usize).unwrap_or(0),
            bytes.map(|n| n as usize).unwrap_or(0),
            batch_input.as_ref(),
        ))
    }

    /// Writes the results as ResultWriter does and returns the Map's result.
    pub(super) fn write_results(
        &mut self,
        id: usize,
        m: &MapState,
        results: Value,
        map_run: Option<(String, String)>,
    ) -> Result<Value, Fault> {
        let Some(w) = &m.result_writer else {
            return Ok(results);
        };
        let effective = self
            .frames
            .get(id)
            .map(|f| f.effective.clone())
            .unwrap_or_default();
        let ctx = self.context(id);
        let params = match w.get("Parameters") {
            Some(tpl) => apply_template(tpl, &effective, &ctx, &mut self.random)
                .map_err(|e| self.payload_fault(id, e))?,
            None => json!({}),
        };
        let Some(store) = self.store.clone() else {
            return Err(Fault::new("States.ResultWriterFailed", NO_STORE_CAUSE));
        };
        let bucket = params
            .get("Bucket")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let prefix = params
            .get("Prefix")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string();
        let (run, map_run_arn) = match map_run {
            Some(r) => r,
            None => {
                let run = self.random.uuid();
                let arn = self.map_run_arn(m, &run);
                (run, arn)
            }
        };
        let dir = if prefix.is_empty() {
            run.clone()
        } else {
            format!("{prefix}/{run}")
        };
        let results_key = format!("{dir}/SUCCEEDED_0.json");
        let manifest_key = format!("{dir}/manifest.json");
        store
            .0
            .put(&bucket, &results_key, to_text(&results).into_bytes());
        let manifest = json!({
            "DestinationBucket": bucket,
            "MapRunArn": map_run_arn,
            "ResultFiles": {"FAILED": [], "PENDING": [], "SUCCEEDED": [{"Key": results_key, "Size": to_text(&results).len()}]},
        });
        store
            .0
            .put(&bucket, &manifest_key, to_text(&manifest).into_bytes());
        Ok(
            json!({"MapRunArn": map_run_arn, "ResultWriterDetails": {"Bucket": bucket, "Key": manifest_key}}),
        )
    }
}
