//! Server functions behind the traceability pages: a producer's batches and the form that records
//! one, a batch's label sheet, the public trace of a batch, and recalls. Each reads with the
//! signed-in account; the store decides what it may see.

use domain::account::Role;
use domain::trace::records::{BatchRow, RecallRow, RecallView, TraceView};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::api::{internal, session, store};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BatchesData {
    pub role: Role,
    pub batches: Vec<BatchRow>,
    /// Sizes the account may record batches for: (id, "product — size").
    pub sizes: Vec<(i64, String)>,
    /// Where units may be received: (id, name).
    pub locations: Vec<(i64, String)>,
    pub csrf: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BatchData {
    pub trace: TraceView,
    pub role: Role,
    /// The marketplace's address the label's Digital Link is built on.
    pub base: String,
    pub csrf: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecallsData {
    pub role: Role,
    pub recalls: Vec<RecallRow>,
    /// Batches that may be recalled: (id, "code — product — size").
    pub batches: Vec<(i64, String)>,
    pub csrf: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecallData {
    pub recall: RecallView,
    pub role: Role,
    pub csrf: String,
}

/// Whether the account works with batches: a producer's member in the portal, the office anywhere.
fn manages(role: Role) -> bool {
    matches!(role, Role::Producer | Role::Admin)
}

/// Whether the account works in the area the page is in: the office's pages are the office's alone.
fn works_in(role: Role, office: bool) -> bool {
    if office { role == Role::Admin } else { manages(role) }
}

#[server(prefix = "/sfn", endpoint = "batches")]
pub async fn get_batches() -> Result<Option<BatchesData>, ServerFnError> {
    use store::trace::batches;
    let store = store()?;
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    if !manages(account.role) {
        return Ok(None);
    }
    let locations = store::listings::stock_locations(&store.db, &account)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|l| (l.id, l.name))
        .collect();
    Ok(Some(BatchesData {
        role: account.role,
        batches: batches::list_for(&store.db, &account).await.map_err(internal)?,
        sizes: batches::sizes_for(&store.db, &account).await.map_err(internal)?,
        locations,
        csrf,
    }))
}

/// A batch the account manages, as its page and label sheet show it.
#[server(prefix = "/sfn", endpoint = "batch")]
pub async fn get_batch(id: i64) -> Result<Option<BatchData>, ServerFnError> {
    use store::trace::batches;
    let store = store()?;
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    if !manages(account.role) || batches::owned(&store.db, &account, id).await.map_err(internal)?.is_err() {
        return Ok(None);
    }
    let Some(trace) = store::trace::public::trace(&store.db, id, store.today()).await.map_err(internal)? else {
        return Ok(None);
    };
    let base = crate::api::get_public_url().await?;
    Ok(Some(BatchData { trace, role: account.role, base, csrf }))
}

/// A batch's public trace: anyone may read it.
#[server(prefix = "/sfn", endpoint = "trace")]
pub async fn get_trace(id: i64) -> Result<Option<(TraceView, String)>, ServerFnError> {
    let store = store()?;
    let found = store::trace::public::trace(&store.db, id, store.today()).await.map_err(internal)?;
    let base = crate::api::get_public_url().await?;
    Ok(found.map(|t| (t, base)))
}

#[server(prefix = "/sfn", endpoint = "recalls")]
pub async fn get_recalls(office: bool) -> Result<Option<RecallsData>, ServerFnError> {
    use store::trace::{batches, recalls};
    let store = store()?;
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    if !works_in(account.role, office) {
        return Ok(None);
    }
    let batches = batches::list_for(&store.db, &account)
        .await
        .map_err(internal)?
        .into_iter()
        .filter(|b| b.recall != Some(domain::trace::RecallStatus::Open))
        .map(|b| (b.id, format!("{} — {} — {}", b.code, b.product_name, b.size_vi)))
        .collect();
    Ok(Some(RecallsData {
        role: account.role,
        recalls: recalls::list(&store.db, &account).await.map_err(internal)?,
        batches,
        csrf,
    }))
}

#[server(prefix = "/sfn", endpoint = "recall")]
pub async fn get_recall(id: i64, office: bool) -> Result<Option<RecallData>, ServerFnError> {
    let store = store()?;
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    if !works_in(account.role, office) {
        return Ok(None);
    }
    let Some(recall) = store::trace::recalls::view(&store.db, &account, id).await.map_err(internal)? else {
        return Ok(None);
    };
    Ok(Some(RecallData { recall, role: account.role, csrf }))
}
