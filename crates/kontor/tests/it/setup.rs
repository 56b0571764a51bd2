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
