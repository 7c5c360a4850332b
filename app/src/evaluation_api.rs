//! Server functions behind the evaluation's pages: dossiers, the council's sheets, rounds and the
//! public registry. Each reads with the signed-in account, and the store decides what it may see.

use domain::account::Role;
use domain::evaluation::Sheet;
use domain::evaluation::records::{DossierView, Due, Member, MemberScore, ResultLine, Round, SheetRow, Summary};
use domain::registry::RegistryEntry;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::api::{internal, session, store};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DossierList {
    pub role: Role,
    pub items: Vec<Summary>,
    /// Products the account may file for, and the rounds taking dossiers.
    pub products: Vec<(i64, String)>,
    pub rounds: Vec<(i64, String)>,
    pub csrf: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DossierData {
    pub dossier: DossierView,
    pub role: Role,
    /// Codes of the steps the account may take now (`Step::code`).
    pub steps: Vec<String>,
    /// The round's sheet, for those who score or read the scores.
    pub sheet: Option<Sheet>,
    /// The council member's own sheet (draft or submitted).
    pub mine: Option<MemberScore>,
    pub on_council: bool,
    /// Every submitted sheet, once the account may read them.
    pub scores: Option<Vec<MemberScore>>,
    pub csrf: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoundsData {
    pub rounds: Vec<Round>,
    pub sheets: Vec<SheetRow>,
    pub due: Vec<Due>,
    pub csrf: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoundData {
    pub round: Round,
    /// The round's sheets, one per product group, and the loaded sheets for groups it has none for.
    pub sheets: Vec<SheetRow>,
    pub addable: Vec<SheetRow>,
    pub members: Vec<Member>,
    /// Council-role accounts not yet seated.
    pub candidates: Vec<(i64, String)>,
    pub results: Vec<ResultLine>,
    pub csrf: String,
}

/// Whether the account works in the area the page is in: producers' members in the portal; the
/// office, commune officers and council members in the office's pages.
pub fn works_in(role: Role, office: bool) -> bool {
    if office { matches!(role, Role::Admin | Role::Commune | Role::Council) } else { role == Role::Producer }
}

#[server(prefix = "/sfn", endpoint = "dossiers")]
pub async fn get_dossiers(office: bool) -> Result<Option<DossierList>, ServerFnError> {
    use store::evaluation::{dossiers, rounds};
    let store = store()?;
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    if !works_in(account.role, office) {
        return Ok(None);
    }
    let items = dossiers::list_for(&store.db, &account).await.map_err(internal)?;
    let products = dossiers::startable(&store.db, &account).await.map_err(internal)?;
    let rounds = rounds::taking_dossiers(&store.db, store.today())
        .await
        .map_err(internal)?
        .into_iter()
        .map(|r| (r.id, r.label))
        .collect();
    Ok(Some(DossierList { role: account.role, items, products, rounds, csrf }))
}

#[server(prefix = "/sfn", endpoint = "dossier")]
pub async fn get_dossier(id: i64, office: bool) -> Result<Option<DossierData>, ServerFnError> {
    use store::evaluation::{dossiers, scores, sheets};
    let store = store()?;
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    if !works_in(account.role, office) {
        return Ok(None);
    }
    let Ok(dossier) = dossiers::view(&store.db, &account, id).await.map_err(internal)? else { return Ok(None) };
    let steps = dossiers::steps_for(&store.db, &account, id).await.map_err(internal)?;
    let mine = scores::mine(&store.db, &account, id).await.map_err(internal)?;
    let on_council = mine.is_ok();
    let scores = scores::all_submitted(&store.db, &account, id).await.map_err(internal)?.ok();
    let sheet = if on_council || account.role == Role::Admin {
        sheets::for_product(&store.db, dossier.round_id, dossier.product_id).await.map_err(internal)?
    } else {
        None
    };
    Ok(Some(DossierData {
        dossier,
        role: account.role,
        steps: steps.into_iter().map(|s| s.code().to_string()).collect(),
        sheet,
        mine: mine.ok().flatten(),
        on_council,
        scores,
        csrf,
    }))
}

#[server(prefix = "/sfn", endpoint = "rounds")]
pub async fn get_rounds() -> Result<Option<RoundsData>, ServerFnError> {
    use store::evaluation::{calendar, rounds, sheets};
    let store = store()?;
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    if account.role != Role::Admin {
        return Ok(None);
    }
    Ok(Some(RoundsData {
        rounds: rounds::list(&store.db).await.map_err(internal)?,
        sheets: sheets::list(&store.db).await.map_err(internal)?,
        due: calendar::due(&store.db, store.today()).await.map_err(internal)?,
        csrf,
    }))
}

#[server(prefix = "/sfn", endpoint = "round")]
pub async fn get_round(id: i64) -> Result<Option<RoundData>, ServerFnError> {
    use store::evaluation::{dossiers, rounds, sheets};
    let store = store()?;
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    if account.role != Role::Admin {
        return Ok(None);
    }
    let Some(round) = rounds::get(&store.db, id).await.map_err(internal)? else { return Ok(None) };
    let members = rounds::members(&store.db, id).await.map_err(internal)?;
    let candidates = rounds::council_accounts(&store.db)
        .await
        .map_err(internal)?
        .into_iter()
        .filter(|(uid, _)| !members.iter().any(|m| m.user_id == *uid))
        .collect();
    let ids = rounds::sheets(&store.db, id).await.map_err(internal)?;
    let (sheets, others): (Vec<SheetRow>, Vec<SheetRow>) =
        sheets::list(&store.db).await.map_err(internal)?.into_iter().partition(|s| ids.contains(&s.id));
    let addable = others.into_iter().filter(|o| !sheets.iter().any(|s| s.group_code == o.group_code)).collect();
    let results = dossiers::results(&store.db, id).await.map_err(internal)?;
    Ok(Some(RoundData { round, sheets, addable, members, candidates, results, csrf }))
}

/// The public registry with the filters the address gives (the same as the JSON export's).
#[server(prefix = "/sfn", endpoint = "registry")]
pub async fn get_registry(
    raw_query: String,
) -> Result<Result<Vec<RegistryEntry>, domain::listing::QueryError>, ServerFnError> {
    let store = store()?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&raw_query).unwrap_or_default();
    let q = match domain::registry::RegistryQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
        Ok(q) => q,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok(store::registry::entries(&store.db, &q, store.today()).await.map_err(internal)?))
}
