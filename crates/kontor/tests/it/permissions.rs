//! The permission matrix for customers, contacts and notes.

use serde_json::json;

use crate::{helpers::*, on_both};

on_both!(
    view_own_staff_sees_exactly_the_customers_they_administer,
    staff_without_permission_sees_no_customers,
    notes_change_only_by_author_or_admin
);

async fn view_own_staff_sees_exactly_the_customers_they_administer(app: TestApp) {
    let admin = app.admin_api().await;
    let (own_id, own_email) = app
        .staff_with(&admin, "owner", json!({"customers": ["view_own", "edit"]}))
        .await;
    let (_, other_email) = app
        .staff_with(&admin, "other", json!({"customers": ["view_own", "edit"]}))
        .await;
    let mine = admin
        .customer(json!({"company": "Mine GmbH", "admin_ids": [own_id]}))
        .await;
    let theirs = admin.customer(json!({"company": "Theirs GmbH"})).await;
    let contact = admin.post("/contacts", json!({"customer_id": theirs, "first_name": "T", "last_name": "C", "email": "t@theirs.example"})).await;
    let contact = contact.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let note = admin
        .post("/notes", json!({"customer_id": theirs, "body": "secret"}))
        .await;
    let note = note.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();

    let owner = app.browser();
    owner.login(&own_email, "staff-password-1").await;
    let (_, list) = owner.text("/customers").await;
    assert!(list.contains("Mine GmbH") && !list.contains("Theirs GmbH"));
    assert_eq!(owner.get(&format!("/customers/{mine}")).await.status(), 200);
    let (_, found) = owner.text("/customers?q=gmbh").await;
    assert!(
        found.contains("Mine GmbH") && !found.contains("Theirs GmbH"),
        "a search stays within the customers they administer"
    );
    assert!(found.contains("id=\"customer-total\">Kunden: 1 · "));
    for path in [
        format!("/customers/{theirs}"),
        format!("/customers/{theirs}/contacts"),
        format!("/customers/{theirs}/notes"),
        format!("/customers/{theirs}/map"),
        format!("/contacts/{contact}/edit"),
        format!("/notes/{note}/edit"),
    ] {
        assert_eq!(owner.get(&path).await.status(), 404, "{path} leaks");
    }
    let r = owner
        .post(&format!("/customers/{theirs}"), &[("company", "Hijacked")])
        .await;
    assert_eq!(r.status(), 404);
    let r = owner
        .post(&format!("/customers/{theirs}/notes"), &[("body", "x")])
        .await;
    assert_eq!(r.status(), 404);

    let api = app.api_as(&own_email).await;
    assert_eq!(api.json("/customers").await["total"], 1);
    assert_eq!(api.get(&format!("/customers/{theirs}")).await.status(), 404);
    assert_eq!(api.get(&format!("/contacts/{contact}")).await.status(), 404);
    assert_eq!(api.get(&format!("/notes/{note}")).await.status(), 404);
    assert_eq!(
        api.get(&format!("/customers/{theirs}/activity"))
            .await
            .status(),
        404
    );
    assert_eq!(
        api.get(&format!("/contacts?customer_id={theirs}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        api.patch(&format!("/customers/{theirs}"), json!({"company": "x"}))
            .await
            .status(),
        404
    );
    assert_eq!(
        api.delete(&format!("/customers/{mine}")).await.status(),
        403,
        "no delete permission"
    );
    assert_eq!(
        admin.json(&format!("/customers/{theirs}")).await["company"],
        "Theirs GmbH"
    );

    let other = app.browser();
    other.login(&other_email, "staff-password-1").await;
    assert_eq!(other.get(&format!("/customers/{mine}")).await.status(), 404);
    let created = other
        .post(
            "/customers",
            &[
                ("company", "Made by other"),
                ("currency", "EUR"),
                ("language", "de"),
            ],
        )
        .await;
    assert_eq!(created.status(), 403, "no create permission");
}

async fn staff_without_permission_sees_no_customers(app: TestApp) {
    let admin = app.admin_api().await;
    let (_, email) = app.staff_with(&admin, "nobody", json!({})).await;
    let b = app.browser();
    b.login(&email, "staff-password-1").await;
    assert_eq!(b.get("/customers").await.status(), 403);
    let (_, page) = b.text("/account").await;
    assert!(!page.contains("href=\"/customers\""), "no menu entry");
    assert_eq!(b.get("/staff").await.status(), 403);
    let api = app.api_as(&email).await;
    assert_eq!(api.get("/customers").await.status(), 403);
    assert_eq!(api.post("/roles", json!({"name": "x"})).await.status(), 403);
}

async fn notes_change_only_by_author_or_admin(app: TestApp) {
    let admin = app.admin_api().await;
    let (_, a_email) = app
        .staff_with(&admin, "writer", json!({"customers": ["view"]}))
        .await;
    let (_, b_email) = app
        .staff_with(&admin, "reader", json!({"customers": ["view"]}))
        .await;
    let customer = admin.customer(json!({"company": "Notiz AG"})).await;
    let writer = app.browser();
    writer.login(&a_email, "staff-password-1").await;
    assert_eq!(
        writer
            .post(
                &format!("/customers/{customer}/notes"),
                &[("body", "Erstgespräch"), ("contacted_at", "2026-11-20")]
            )
            .await
            .status(),
        303
    );
    let notes = admin.json(&format!("/notes?customer_id={customer}")).await;
    let note = notes["data"][0]["id"].as_i64().unwrap();
    assert_eq!(notes["data"][0]["contacted_at"], "2026-11-20");
    let reader = app.browser();
    reader.login(&b_email, "staff-password-1").await;
    assert_eq!(
        reader
            .post(&format!("/notes/{note}"), &[("body", "changed")])
            .await
            .status(),
        403
    );
    assert_eq!(
        reader
            .post(&format!("/notes/{note}/delete"), &[])
            .await
            .status(),
        403
    );
    assert_eq!(
        admin.json(&format!("/notes/{note}")).await["body"],
        "Erstgespräch"
    );
    assert_eq!(
        writer
            .post(
                &format!("/notes/{note}"),
                &[
                    ("body", "Erstgespräch, Angebot folgt"),
                    ("contacted_at", "")
                ]
            )
            .await
            .status(),
        303
    );
    assert_eq!(
        admin
            .patch(&format!("/notes/{note}"), json!({"body": "Admin edit"}))
            .await
            .status(),
        200
    );
    assert_eq!(admin.delete(&format!("/notes/{note}")).await.status(), 204);
}
