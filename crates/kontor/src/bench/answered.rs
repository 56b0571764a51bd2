//! `kontor bench --suite estimates` and `--suite proposals`: a customer
//! with 5,000 estimates or proposals (made through the API, three lines
//! each); its tab, a document's page and its public page; and accepting on
//! the public link with a drawn signature, which stores the signature and
//! archives the signed copy.

use std::net::SocketAddr;

use anyhow::{Context, Result, bail};
use axum::{body::Body, extract::ConnectInfo, http::Request};
use base64::Engine;
use rand::Rng;
use serde_json::{Value, json};
use tower::ServiceExt;

use super::{NextRequest, Scenario, admin_session, ensure_customers, measure};
use crate::{
    app,
    http::identity::{CSRF_COOKIE, SESSION_COOKIE},
    modules::staff::service as staff,
    state::AppState,
};

/// Documents of the big customer.
const DOCUMENTS: usize = 5_000;

/// A type of answered document the suite measures.
pub struct Kind {
    /// Its API path and tab (`estimates`), its public link's kind
    /// (`estimate`).
    pub path: &'static str,
    pub key: &'static str,
    /// What a document holds besides its lines and customer.
    pub fields: fn() -> Value,
}

pub const ESTIMATES: Kind = Kind {
    path: "estimates",
    key: "estimate",
    fields: || json!({}),
};

pub const PROPOSALS: Kind = Kind {
    path: "proposals",
    key: "proposal",
    fields: || {
        json!({"subject": "Relaunch des Webshops", "content":
            "# Ausgangslage\n\nIhr Shop braucht **mehr Tempo**.\n\n## Leistungen\n\n1. Analyse\n2. Umsetzung\n\n| Phase | Wochen |\n|---|---|\n| Analyse | 2 |\n| Umsetzung | 6 |"})
    },
};

/// A signature as signature_pad sends it: a PNG data URL with a stroke.
fn signature() -> Result<String> {
    let (w, h) = (300u32, 100u32);
    let mut pixels = vec![0u8; (w * h * 4) as usize];
    for x in 20..280 {
        let y = 50 + (x / 9) % 20;
        let at = ((y * w + x) * 4) as usize;
        if let Some(p) = pixels.get_mut(at..at + 4) {
            p.copy_from_slice(&[20, 20, 80, 255]);
        }
    }
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, w, h);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.write_header()?.write_image_data(&pixels)?;
    }
    Ok(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    ))
}

pub async fn run(state: AppState, customers: u64, samples: usize, kind: &Kind) -> Result<()> {
    ensure_customers(&state, customers).await?;
    let admin = *staff::directory_ids(&state.db)
        .await?
        .first()
        .context("no staff")?;
    let api_token = staff::create_token(&state.db, admin, "bench", &state.clock).await?;
    let bearer = format!("Bearer {api_token}");
    let router = app::router(state.clone());
    let call = |method: &str, path: String, body: Value| -> Result<Request<Body>> {
        Ok(Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", &bearer)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))?)
    };
    let send = |request: Request<Body>| {
        let router = router.clone();
        async move {
            let response = router.oneshot(request).await?;
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
            if !status.is_success() {
                bail!("status {status}: {}", String::from_utf8_lossy(&bytes));
            }
            Ok::<Value, anyhow::Error>(serde_json::from_slice(&bytes)?)
        }
    };
    let stamp = state.clock.now().timestamp();
    let big = send(call(
        "POST",
        "/api/v1/customers".into(),
        json!({"company": format!("Angebots-Bench {stamp}")}),
    )?)
    .await?["id"]
        .as_i64()
        .context("customer id")?;
    let mut body = json!({"customer_id": big, "items": [
        {"description": "Beratung", "quantity": "8", "unit": "h", "rate": "120", "taxes": ["19"]},
        {"description": "Lizenz", "quantity": "1", "rate": "499", "taxes": ["19"]},
        {"description": "Handbuch", "quantity": "2", "rate": "19.90", "taxes": ["7"]}]});
    if let (Some(body), Value::Object(fields)) = (body.as_object_mut(), (kind.fields)()) {
        body.extend(fields);
    }
    let path = kind.path;
    let accepts = samples + samples / 10;
    let mut ids = Vec::with_capacity(DOCUMENTS);
    for _ in 0..DOCUMENTS {
        let e = send(call("POST", format!("/api/v1/{path}"), body.clone())?).await?;
        ids.push(e["id"].as_i64().context("document id")?);
    }
    // The newest are sent: the tab's first page shows numbered estimates,
    // and each acceptance has one of its own.
    let mut tokens = Vec::with_capacity(accepts + 1);
    for id in ids.iter().rev().take(accepts + 1) {
        let e = send(call(
            "POST",
            format!("/api/v1/{path}/{id}/mark-sent"),
            json!({}),
        )?)
        .await?;
        let url = e["public_url"].as_str().context("public url")?;
        let token = url.rsplit('/').next().context("token")?.to_owned();
        tokens.push(token);
    }
    let shown = tokens.pop().context("a sent document")?;
    let one = *ids.last().context("a document")?;

    let session = admin_session(&state).await?;
    let cookie = format!("{SESSION_COOKIE}={session}");
    let get = move |path: String| -> Result<Request<Body>> {
        Ok(Request::get(path)
            .header("cookie", &cookie)
            .body(Body::empty())?)
    };
    let page = |path: String| -> NextRequest {
        let get = get.clone();
        Box::new(move |_, _| get(path.clone()))
    };
    let public = shown.clone();
    let csrf: String = {
        let mut rng = rand::thread_rng();
        (0..64)
            .map(|_| char::from_digit(rng.gen_range(0..16), 16).unwrap_or('0'))
            .collect()
    };
    let signature = signature()?;
    let peer: SocketAddr = "127.0.0.1:40000".parse()?;
    let key = kind.key;
    let accept: NextRequest = Box::new(move |_, i| {
        let token = tokens.get(i).context("a sent document per acceptance")?;
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("_csrf", &csrf)
            .append_pair("name", "Bench Kunde")
            .append_pair("email", "kunde@bench.example")
            .append_pair("signature", &signature)
            .append_pair("agree", "1")
            .finish();
        let mut request = Request::post(format!("/p/{key}/{token}/accept"))
            .header("cookie", format!("{CSRF_COOKIE}={csrf}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("user-agent", "kontor bench")
            .body(Body::from(form))?;
        request.extensions_mut().insert(ConnectInfo(peer));
        Ok(request)
    });
    let scenarios: Vec<Scenario> = vec![
        (
            "tab, first page (5,000 documents)",
            page(format!("/customers/{big}/{path}")),
        ),
        ("document page", page(format!("/{path}/{one}"))),
        (
            "public page (no login)",
            Box::new(move |_, _| {
                Ok(Request::get(format!("/p/{key}/{public}")).body(Body::empty())?)
            }),
        ),
        (
            "accept on the public link (signature stored, signed PDF archived)",
            accept,
        ),
    ];
    println!(
        "\n{DOCUMENTS} {path} of one customer on {:?}, {samples} requests per row\n",
        state.db.get_database_backend()
    );
    measure(&router, scenarios, samples).await?;
    kernel::session::delete(&state.db, &session).await?;
    Ok(())
}
