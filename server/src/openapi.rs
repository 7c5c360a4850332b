//! What the generated OpenAPI documents share: the error body every refusal carries, the device
//! token's security scheme, and reading JSON numbers as JSON Schema does.

use serde::Serialize;
use utoipa::openapi::schema::{AnyOfBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{RefOr, Schema};

/// Every refusal: a code, and a sentence in Vietnamese and English.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiError {
    /// A stable code (`bad_request`, `unauthorised`, `not_found`, …).
    pub error: String,
    /// Both languages: `Vietnamese / English`.
    pub message: String,
    pub message_vi: Option<String>,
    pub message_en: Option<String>,
    /// The query parameter that was refused, when one was.
    pub param: Option<String>,
}

/// A sync cursor: an RFC 3339 time, or empty for "from the start" (what a new till sends).
pub struct Cursor;

impl utoipa::PartialSchema for Cursor {
    fn schema() -> RefOr<Schema> {
        let time = ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)));
        let empty = ObjectBuilder::new().schema_type(Type::String).max_length(Some(0));
        AnyOfBuilder::new().item(time).item(empty).into()
    }
}

impl utoipa::ToSchema for Cursor {}

/// The codes the storefront's filters take, read from the domain types that parse them, so the
/// document cannot drift from what is accepted.
pub mod codes {
    use domain::listing::{NO_WORDS, Sort as SortBy, YES_WORDS};
    use domain::ocop::{OcopGroup, ProducerKind};
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{RefOr, Schema};

    fn one_of(codes: impl IntoIterator<Item = &'static str>) -> RefOr<Schema> {
        ObjectBuilder::new().schema_type(Type::String).enum_values(Some(codes)).into()
    }

    macro_rules! codes {
        ($name:ident, $doc:literal, $codes:expr) => {
            #[doc = $doc]
            pub struct $name;
            impl utoipa::PartialSchema for $name {
                fn schema() -> RefOr<Schema> {
                    one_of($codes)
                }
            }
            impl utoipa::ToSchema for $name {}
        };
    }

    codes!(Group, "A product group (Decision 148's six).", OcopGroup::ALL.map(OcopGroup::code));
    codes!(Kind, "A producer's legal kind.", ProducerKind::ALL.map(ProducerKind::code));
    codes!(Sort, "The order of the results.", SortBy::ALL.map(SortBy::code));
    codes!(Flag, "Yes or no, as a form or a person writes it.", YES_WORDS.into_iter().chain(NO_WORDS));
    codes!(Format, "The file format of a list.", ["json", "csv"]);
}

/// The storefront's filters come from plain HTML forms, which send every field, empty or not: an
/// empty query parameter counts as absent. Each query parameter's schema says so.
pub struct EmptyMeansAbsent;

impl utoipa::Modify for EmptyMeansAbsent {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let Some(op) = item.get.as_mut() else { continue };
            for p in op.parameters.iter_mut().flatten() {
                if p.parameter_in != utoipa::openapi::path::ParameterIn::Query {
                    continue;
                }
                if let Some(schema) = p.schema.take() {
                    let empty = ObjectBuilder::new().schema_type(Type::String).max_length(Some(0));
                    p.schema = Some(AnyOfBuilder::new().item(schema).item(empty).into());
                }
            }
        }
    }
}

/// Adds the device token (`Authorization: Bearer …`) the sync API's operations name as `device`.
pub struct DeviceToken;

impl utoipa::Modify for DeviceToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "device",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The token a till receives from `POST /sync/v1/pair`."))
                    .build(),
            ),
        );
    }
}

/// JSON Schema counts `72.0` as the integer 72; serde refuses it for an integer field. Numbers with
/// no fraction are rewritten as integers before the body is read into its type.
pub fn integral_numbers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            // Every f64 with no fraction inside i64's range converts exactly.
            if let Some(f) = n
                .as_f64()
                .filter(|f| f.fract() == 0.0 && (-9.223_372_036_854_775e18..9.223_372_036_854_775e18).contains(f))
            {
                *value = serde_json::Value::from(f as i64);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::integral_numbers;
    use serde_json::json;

    #[test]
    fn whole_numbers_written_with_a_fraction_become_integers_and_others_stay() {
        let mut v: serde_json::Value = serde_json::from_str(
            r#"{"qty": 72.0, "lines": [{"price": 1.5e3, "x": 0.5}], "big": 1e300, "n": -3.0, "max": 9007199254740990.0, "exact": 4.001577008483321e15}"#,
        )
        .unwrap();
        integral_numbers(&mut v);
        assert_eq!(
            v,
            json!({"qty": 72, "lines": [{"price": 1500, "x": 0.5}], "big": 1e300, "n": -3, "max": 9007199254740990_i64, "exact": 4001577008483321_i64})
        );
    }
}
