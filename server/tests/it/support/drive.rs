//! An HTTP server on loopback that speaks Google Drive's download protocol
//! for large shared files: `uc?export=download&id=…` answers with the
//! "can't scan for viruses" page and its confirmation form; the form's
//! target serves the file only with the right confirmation and uuid.

use std::{collections::HashMap, net::SocketAddr, path::PathBuf, sync::Arc};

use axum::{
    Router,
    extract::{Query, State},
    http::{StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};

pub const FILE_ID: &str = "1sivepSummaryFileId";
const UUID: &str = "0c1d2e3f-uuid";

struct Drive {
    file: PathBuf,
    addr: SocketAddr,
}

pub struct DriveServer {
    pub addr: SocketAddr,
}

impl DriveServer {
    /// Shares `file` under [`FILE_ID`].
    pub async fn start(file: PathBuf) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let drive = Arc::new(Drive { file, addr });
        let router = Router::new()
            .route("/uc", get(warning_page))
            .route("/download", get(download))
            .with_state(drive);
        tokio::spawn(async move { axum::serve(listener, router).await });
        DriveServer { addr }
    }

    pub fn share_url(&self) -> String {
        format!("http://{}/uc?export=download&id={FILE_ID}", self.addr)
    }
}

async fn warning_page(
    State(drive): State<Arc<Drive>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if query.get("id").map(String::as_str) != Some(FILE_ID) {
        return StatusCode::NOT_FOUND.into_response();
    }
    Html(format!(
        r#"<!DOCTYPE html><html><head><title>Google Drive - Virus scan warning</title></head><body>
        <p class="uc-warning-caption">Google Drive can't scan this file for viruses.</p>
        <form id="download-form" action="http://{}/download" method="get">
        <input type="submit" id="uc-download-link" class="goog-inline-block" value="Download anyway"/>
        <input type="hidden" name="id" value="{FILE_ID}"><input type="hidden" name="export" value="download">
        <input type="hidden" name="confirm" value="t"><input type="hidden" name="uuid" value="{UUID}"></form>
        </body></html>"#,
        drive.addr
    ))
    .into_response()
}

async fn download(
    State(drive): State<Arc<Drive>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let field = |name: &str| query.get(name).map(String::as_str);
    if field("id") != Some(FILE_ID) || field("confirm") != Some("t") || field("uuid") != Some(UUID)
    {
        return (StatusCode::BAD_REQUEST, "missing confirmation").into_response();
    }
    let name = drive
        .file
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let bytes = tokio::fs::read(&drive.file).await.unwrap();
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
