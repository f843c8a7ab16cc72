//! Turning a listing into an HTTP answer: JSON or CSV (by `format` or the
//! `Accept` header), cached in memory per store generation (gold changes
//! only when an ingest commits, which starts a new generation), with a
//! content `ETag` so browsers and proxies revalidate for a 304.

use std::sync::Arc;

use app::csv::{Dialect, Table};
use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::store::Paged;

use super::{
    error::{ApiError, ParamError},
    params::{OutputParams, choice},
};

/// Bytes of rendered responses kept in memory.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// Revalidate every time: gold can change at any ingest, and a 304 is cheap.
const CACHE_CONTROL: &str = "public, no-cache";

/// One source behind a listing, with its attribution.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct SourceRef {
    pub name: String,
    /// Title, publisher and licence.
    pub title: String,
}

/// The model behind a list of estimates.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct MethodRef {
    /// The method and its version.
    pub name: String,
    /// Its description: data, method, backtest, assumptions and limits.
    pub doc: String,
}

/// Every list the API serves: its rows, where they come from and the date
/// range they cover.
#[derive(Debug, Serialize, ToSchema)]
pub struct Listing<T: ToSchema> {
    pub sources: Vec<SourceRef>,
    /// First day covered; `null` when the data has no date or is empty.
    pub from: Option<NaiveDate>,
    /// Last day covered.
    pub to: Option<NaiveDate>,
    /// Lists of estimates (the nowcast, its trends and outlook): the
    /// vintage of the data they were made from; absent elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vintage: Option<NaiveDate>,
    /// Lists of estimates: the method that made them; absent elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<MethodRef>,
    pub rows: Vec<T>,
    /// The `offset` of the next page; `null` on the last page.
    pub next_offset: Option<u64>,
}

impl<T: ToSchema> Listing<T> {
    /// A list covering `from..=to` (either end unknown: `None`), one page
    /// of rows at a time.
    pub fn new(
        sources: Vec<SourceRef>,
        (from, to): (Option<NaiveDate>, Option<NaiveDate>),
        page: Paged<T>,
    ) -> Self {
        Listing {
            sources,
            from,
            to,
            vintage: None,
            method: None,
            rows: page.rows,
            next_offset: page.next_offset,
        }
    }

    /// The same list, of estimates made from `vintage` by `method`.
    pub fn estimated(self, vintage: Option<NaiveDate>, method: MethodRef) -> Self {
        Listing {
            vintage,
            method: Some(method),
            ..self
        }
    }
}

/// What a response is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Json,
    Csv(Dialect),
}

impl Output {
    /// `format` wins over `Accept`; `dialect` applies to CSV.
    pub fn negotiate(params: &impl OutputParams, headers: &HeaderMap) -> Result<Self, ParamError> {
        let accepts_csv = headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.contains("text/csv"));
        let default = if accepts_csv { "csv" } else { "json" };
        let format = choice("format", params.format(), &["json", "csv"], default)?;
        let dialect = choice(
            "dialect",
            params.dialect(),
            &["rfc4180", "excel-br"],
            "rfc4180",
        )?;
        Ok(match (format, dialect) {
            ("json", _) => Output::Json,
            (_, "excel-br") => Output::Csv(Dialect::ExcelBr),
            _ => Output::Csv(Dialect::Rfc4180),
        })
    }
}

/// A response body, rendered once per generation and query.
#[derive(Debug)]
pub struct Rendered {
    body: Bytes,
    content_type: &'static str,
    etag: String,
    /// Headers that tell CSV readers what the JSON envelope says.
    sources: String,
    range: Option<String>,
    filename: Option<String>,
    /// For estimates: their vintage and method, as headers (the CSV's
    /// rows carry the vintage too).
    vintage: Option<String>,
    method: Option<String>,
}

impl Rendered {
    /// Writes `listing` as `output`; `name` names the CSV file.
    pub fn new<T: Serialize + ToSchema>(
        listing: &Listing<T>,
        output: Output,
        name: &str,
    ) -> Result<Self, ApiError> {
        let range = match (listing.from, listing.to) {
            (Some(from), Some(to)) => Some(format!("{from}/{to}")),
            _ => None,
        };
        let (body, content_type, filename) = match output {
            Output::Json => (
                serde_json::to_vec(listing).map_err(ApiError::render)?,
                "application/json",
                None,
            ),
            Output::Csv(dialect) => {
                let dates = range
                    .as_deref()
                    .map(|r| format!("_{}", r.replace('/', "_")));
                (
                    csv(&listing.rows, dialect)?,
                    "text/csv; charset=utf-8",
                    Some(format!("sentinela_{name}{}.csv", dates.unwrap_or_default())),
                )
            }
        };
        let digest = Sha256::digest(&body);
        Ok(Rendered {
            etag: format!("\"{}\"", hex::encode(&digest[..12])),
            body: body.into(),
            content_type,
            sources: listing
                .sources
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(","),
            range,
            filename,
            vintage: listing.vintage.map(|v| v.to_string()),
            method: listing
                .method
                .as_ref()
                .map(|m| format!("{}; {}", m.name, m.doc)),
        })
    }

    /// Whether `If-None-Match` names this body (weakly: `W/` ignored), or
    /// is `*`, which any existing representation matches (RFC 9110, 13.1.2).
    fn matched_by(&self, request_headers: &HeaderMap) -> bool {
        request_headers
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .any(|tag| tag == "*" || tag.trim_start_matches("W/") == self.etag)
    }

    /// The response, or a 304 when the client holds this very body.
    pub fn response(&self, request_headers: &HeaderMap) -> Response {
        let fresh = self.matched_by(request_headers);
        let mut response = if fresh {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let mut response = Response::new(Body::from(self.body.clone()));
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(self.content_type),
            );
            if let Some(value) = self
                .filename
                .as_ref()
                .and_then(|f| HeaderValue::from_str(&format!("attachment; filename=\"{f}\"")).ok())
            {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            if let Ok(value) = HeaderValue::from_str(&self.sources) {
                headers.insert("x-sentinela-sources", value);
            }
            if let Some(value) = self
                .range
                .as_ref()
                .and_then(|r| HeaderValue::from_str(r).ok())
            {
                headers.insert("x-sentinela-period", value);
            }
            for (name, value) in [
                ("x-sentinela-vintage", &self.vintage),
                ("x-sentinela-method", &self.method),
            ] {
                if let Some(value) = value.as_ref().and_then(|v| HeaderValue::from_str(v).ok()) {
                    headers.insert(name, value);
                }
            }
            response
        };
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&self.etag) {
            headers.insert(header::ETAG, value);
        }
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        );
        headers.insert(header::VARY, HeaderValue::from_static("accept"));
        response
    }
}

impl ApiError {
    fn render(error: impl std::fmt::Display) -> ApiError {
        ApiError::Rendering(error.to_string())
    }
}

/// The rows as CSV: a header of the field names, then one line per row.
fn csv<T: Serialize>(rows: &[T], dialect: Dialect) -> Result<Vec<u8>, ApiError> {
    let mut table = Table::new(dialect);
    for (index, row) in rows.iter().enumerate() {
        let Value::Object(fields) = serde_json::to_value(row).map_err(ApiError::render)? else {
            return Err(ApiError::render("a CSV row must be a flat record"));
        };
        if index == 0 {
            table.record(fields.keys());
        }
        table.record(fields.values().map(|value| cell(value, dialect)));
    }
    Ok(table.finish().into_bytes())
}

/// One CSV cell: empty for null.
fn cell(value: &Value, dialect: Dialect) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Number(number) => dialect.number(&number.to_string()),
        other => other.to_string(),
    }
}

/// Rendered responses by generation, output and request URI.
#[derive(Clone)]
pub struct ResponseCache {
    entries: moka::sync::Cache<String, Arc<Rendered>>,
}

impl Default for ResponseCache {
    fn default() -> Self {
        let entries = moka::sync::Cache::builder()
            .max_capacity(CACHE_BYTES)
            .weigher(|key: &String, value: &Arc<Rendered>| {
                u32::try_from(key.len() + value.body.len()).unwrap_or(u32::MAX)
            })
            .build();
        ResponseCache { entries }
    }
}

impl ResponseCache {
    /// The cached rendering of `uri` as `output` in `generation`, or the
    /// one `render` produces (then cached).
    pub async fn get_or_render<F, Fut>(
        &self,
        generation: u64,
        output: Output,
        uri: &Uri,
        render: F,
    ) -> Result<Arc<Rendered>, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Rendered, ApiError>>,
    {
        let key = format!("{generation}|{output:?}|{uri}");
        if let Some(hit) = self.entries.get(&key) {
            return Ok(hit);
        }
        let rendered = Arc::new(render().await?);
        self.entries.insert(key, rendered.clone());
        Ok(rendered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, ToSchema)]
    struct Row {
        uf: String,
        rate: f64,
        missing: Option<i64>,
    }

    fn rows() -> Vec<Row> {
        vec![Row {
            uf: "SP".into(),
            rate: 0.5,
            missing: None,
        }]
    }

    #[test]
    fn csv_keeps_field_order_and_blanks_nulls() {
        let text = String::from_utf8(csv(&rows(), Dialect::Rfc4180).unwrap()).unwrap();
        assert_eq!(text, "uf,rate,missing\r\nSP,0.5,\r\n");
    }

    #[test]
    fn a_304_when_the_client_names_this_body_or_any() {
        let rendered = Rendered::new(
            &Listing::new(Vec::new(), (None, None), Paged::all(rows())),
            Output::Json,
            "rows",
        )
        .unwrap();
        let asking = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
            rendered.response(&headers).status()
        };
        let etag = rendered.etag.clone();
        assert_eq!(asking(&etag), StatusCode::NOT_MODIFIED);
        assert_eq!(
            asking(&format!("\"x\", W/{etag}")),
            StatusCode::NOT_MODIFIED
        );
        assert_eq!(asking("*"), StatusCode::NOT_MODIFIED);
        assert_eq!(asking("\"another\""), StatusCode::OK);
        assert_eq!(
            rendered.response(&HeaderMap::new()).status(),
            StatusCode::OK
        );
    }

    #[test]
    fn excel_dialect_has_a_bom_semicolons_and_decimal_commas() {
        let text = String::from_utf8(csv(&rows(), Dialect::ExcelBr).unwrap()).unwrap();
        assert_eq!(text, "\u{feff}uf;rate;missing\r\nSP;0,5;\r\n");
    }
}
