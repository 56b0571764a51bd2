//! A fresh install: nothing is issued before the company details the law
//! asks of an invoice's sender are entered, and the refusal says which.

use serde_json::{Value, json};

use crate::helpers::*;

async fn a_draft(api: &Api) -> i64 {
    let c = api.customer(json!({"company": "Erster Kunde GmbH"})).await;
    let r = api
        .post("/invoices", json!({"customer_id": c, "items": [{"description": "Beratung", "quantity": "1", "rate": "100", "taxes": ["19"]}]}))
        .await;
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id")
}

async fn nothing_is_issued_before_the_company_is_set_up(app: TestApp) {
    let api = app.admin_api().await;
    let draft = a_draft(&api).await;

    let r = api
        .post(&format!("/invoices/{draft}/issue"), json!({}))
        .await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.expect("json");
    let fields = &e["error"]["fields"];
    for field in [
        "company.name",
        "company.street",
        "company.zip",
        "company.city",
        "company.tax_number",
    ] {
        assert!(
            fields[field]
                .as_str()
                .is_some_and(|m| m.contains("Settings")),
            "{field}: {e}"
        );
    }
    assert_eq!(
        api.json(&format!("/invoices/{draft}")).await["status"],
        "draft"
    );

    // The page names what is missing, links to it and offers no issuing.
    let admin = app.admin().await;
    let (_, page) = admin.text(&format!("/invoices/{draft}")).await;
    assert!(page.contains("id=\"seller-gaps\""), "{page}");
    assert!(page.contains("Straße") && page.contains("Steuernummer oder USt-IdNr."));
    assert!(page.contains("href=\"/settings/billing#company-form\""));
    let r = admin.post(&format!("/invoices/{draft}/issue"), &[]).await;
    assert_eq!(r.status(), 303, "back to the page, a GET");
    assert_eq!(r.headers()["location"], format!("/invoices/{draft}"));
    let (_, page) = admin.text(&format!("/invoices/{draft}")).await;
    assert!(page.contains("Nicht ausgestellt: Ihre Firmenangaben sind unvollständig."));

    // Name and address entered, the tax number still missing: named alone.
    let r = api
        .patch("/settings/billing", json!({"company": {"name": "Neu GmbH", "street": "Am Markt 1", "zip": "50667", "city": "Köln"}}))
        .await;
    assert_eq!(r.status(), 200);
    let r = api
        .post(&format!("/invoices/{draft}/issue"), json!({}))
        .await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.expect("json");
    let missing: Vec<&String> = e["error"]["fields"]
        .as_object()
        .expect("fields")
        .keys()
        .collect();
    assert_eq!(missing, ["company.tax_number"]);

    let r = api
        .patch(
            "/settings/billing",
            json!({"company": {"vat_id": "DE123456789"}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let issued = api.issue("invoices", draft).await;
    assert!(issued["number"].is_string());
    let (_, page) = admin.text(&format!("/invoices/{draft}")).await;
    assert!(!page.contains("id=\"seller-gaps\""));
}

mod first_run {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        nothing_is_issued_before_the_company_is_set_up(
            spawn_unconfigured(Backend::Sqlite, Default::default()).await,
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(url) = pg_url() {
            nothing_is_issued_before_the_company_is_set_up(
                spawn_unconfigured(Backend::Postgres(url), Default::default()).await,
            )
            .await;
        }
    }
}

/// The first sign-in leads to the setup; a refused setup keeps nothing and
/// says what is wrong; a finished one lets invoices be issued and gives
/// new customers its language and currency.
async fn the_first_sign_in_leads_through_the_setup(app: TestApp) {
    let admin = app.admin().await;
    let r = admin.get("/").await;
    assert_eq!(r.status(), 303, "the setup before the dashboard");
    assert_eq!(r.headers()["location"], "/setup");
    let (status, page) = admin.text("/setup").await;
    assert_eq!(status, 200);
    for field in [
        "name",
        "street",
        "zip",
        "city",
        "tax_number",
        "vat_id",
        "iban",
        "logo",
        "language",
        "currency",
    ] {
        assert!(
            page.contains(&format!("id=\"{field}\" name=\"{field}\"")),
            "{field}"
        );
    }

    let send = |fields: Vec<(&'static str, &'static str)>, logo: Option<&'static [u8]>| {
        let admin = &admin;
        let base = app.base.clone();
        async move {
            let mut form = admin.form().await;
            for (name, value) in fields {
                form = form.text(name, value);
            }
            let part = match logo {
                Some(bytes) => {
                    reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("logo.png")
                }
                None => reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
            };
            let r = admin
                .client
                .post(format!("{base}/setup"))
                .multipart(form.part("logo", part))
                .send()
                .await
                .expect("setup");
            let location = r
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap_or_default().to_owned());
            (
                r.status().as_u16(),
                location,
                r.text().await.unwrap_or_default(),
            )
        }
    };
    let (status, _, page) = send(
        vec![
            ("name", ""),
            ("zip", "50667"),
            ("iban", "DE00 1234"),
            ("language", "de"),
            ("currency", "XXX"),
        ],
        None,
    )
    .await;
    assert_eq!(status, 422);
    for message in [
        "Dieses Feld ist erforderlich.",
        "Bitte Steuernummer oder USt-IdNr. angeben.",
        "Diese IBAN ist ungültig",
        "id=\"zip\" name=\"zip\" value=\"50667\"",
    ] {
        assert!(page.contains(message), "{message}");
    }
    assert!(
        page.contains("id=\"currency\" name=\"currency\"")
            && page.contains("form-select is-invalid\" id=\"currency\"")
    );
    assert_eq!(admin.get("/").await.status(), 303, "nothing was kept");

    let (status, location, _) = send(
        vec![
            ("name", "Neu GmbH"),
            ("street", "Am Markt 1"),
            ("zip", "50667"),
            ("city", "Köln"),
            ("vat_id", "DE123456789"),
            ("iban", "DE89 3704 0044 0532 0130 00"),
            ("language", "en"),
            ("currency", "CHF"),
        ],
        Some(include_bytes!("fixtures/logo.png")),
    )
    .await;
    assert_eq!((status, location.as_deref()), (303, Some("/")));
    let (status, page) = admin.text("/").await;
    assert_eq!(status, 200, "the dashboard now");
    assert!(page.contains("id=\"dashboard\"") && !page.contains("id=\"dash-setup\""));
    assert_eq!(admin.get("/settings/billing/logo").await.status(), 200);

    let api = app.admin_api().await;
    let settings = api.json("/settings/billing").await;
    assert_eq!(settings["company"]["name"], "Neu GmbH");
    assert_eq!(settings["company"]["iban"], "DE89370400440532013000");
    let c = api.customer(json!({"company": "Erster Kunde GmbH"})).await;
    let customer = api.json(&format!("/customers/{c}")).await;
    assert_eq!(
        (customer["currency"].as_str(), customer["language"].as_str()),
        (Some("CHF"), Some("en"))
    );
    let r = api
        .post(
            "/customers",
            json!({"company": "Leer GmbH", "language": ""}),
        )
        .await;
    assert_eq!(r.status(), 422, "an empty language is no language");
    let (_, form) = admin.text("/customers/new").await;
    assert!(
        form.contains("<option selected>CHF</option>") && form.contains("value=\"en\" selected")
    );
    let draft = a_draft(&api).await;
    let issued = api.issue("invoices", draft).await;
    assert!(issued["number"].is_string());
}

/// Put off, the setup no longer stands in the way; staff who may not
/// change the settings are never sent to it.
async fn the_setup_can_wait_and_is_only_for_who_may_do_it(app: TestApp) {
    let api = app.admin_api().await;
    let (_, clerk) = app
        .staff_with(&api, "clerk", json!({"customers": ["view"]}))
        .await;
    let b = app.browser();
    b.login(&clerk, "staff-password-1").await;
    assert_eq!(b.get("/").await.status(), 200, "the clerk's dashboard");
    assert_eq!(b.get("/setup").await.status(), 403);
    assert_eq!(b.post("/setup/later", &[]).await.status(), 403);

    let admin = app.admin().await;
    assert_eq!(admin.get("/").await.status(), 303);
    let r = admin.post("/setup/later", &[]).await;
    assert_eq!(r.headers()["location"], "/");
    let (status, page) = admin.text("/").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Die Einrichtung ist verschoben.")
            && page.contains("href=\"/setup\" id=\"start-setup\"")
    );
    let (_, hub) = admin.text("/settings").await;
    assert!(
        hub.contains("href=\"/setup\""),
        "reachable again from the settings"
    );
}

mod setup_flow {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        the_first_sign_in_leads_through_the_setup(
            spawn_unconfigured(Backend::Sqlite, Default::default()).await,
        )
        .await;
        the_setup_can_wait_and_is_only_for_who_may_do_it(
            spawn_unconfigured(Backend::Sqlite, Default::default()).await,
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(url) = pg_url() {
            the_first_sign_in_leads_through_the_setup(
                spawn_unconfigured(Backend::Postgres(url.clone()), Default::default()).await,
            )
            .await;
            the_setup_can_wait_and_is_only_for_who_may_do_it(
                spawn_unconfigured(Backend::Postgres(url), Default::default()).await,
            )
            .await;
        }
    }
}
