use serde_json::json;

use crate::{helpers::*, on_both};

on_both!(notes_render_markdown_and_never_run_script);

async fn notes_render_markdown_and_never_run_script(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "MD GmbH"})).await;
    let b = app.admin().await;
    let body = "**Wichtig**: Rückruf\n\n<script>alert('x')</script><img src=x onerror=alert(1)> [link](javascript:alert(2))";
    assert_eq!(
        b.post(
            &format!("/customers/{c}/notes"),
            &[("body", body), ("contacted_at", "2026-11-01")]
        )
        .await
        .status(),
        303
    );
    let (_, page) = b.text(&format!("/customers/{c}/notes")).await;
    assert!(page.contains("<strong>Wichtig</strong>"));
    let notes = &page[page.find("id=\"notes\"").expect("notes list")..];
    assert!(
        !notes.contains("<script>alert")
            && !notes.contains("onerror")
            && !notes.contains("href=\"javascript"),
        "{notes}"
    );
    assert!(page.contains("01.11.2026"), "date in German format");
    let r = b
        .post(
            &format!("/customers/{c}/notes"),
            &[("body", "  "), ("contacted_at", "gestern")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Dieses Feld ist erforderlich.") && page.contains("JJJJ-MM-TT"));
    assert_eq!(
        api.json(&format!("/notes?customer_id={c}")).await["total"],
        1
    );
}
