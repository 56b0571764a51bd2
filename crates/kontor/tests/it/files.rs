//! Files: streamed uploads with a size limit, downloads that never run in
//! our origin, sharing with contacts, and the S3 backend.

use std::{collections::HashMap, path::Path};

use reqwest::{
    Response,
    multipart::{Form, Part},
};
use serde_json::{Value, json};

use crate::{helpers::*, on_both};

on_both!(files_are_uploaded_shared_downloaded_and_deleted);
on_both!(files_hang_on_invoices_for_who_may_see_them);
on_both!(with small_limit => bad_uploads_are_refused_and_store_nothing);
on_both!(with s3_settings => files_are_stored_in_s3_when_configured);

fn small_limit() -> HashMap<String, String> {
    HashMap::from([("KONTOR_UPLOAD_MAX_MB".to_string(), "1".to_string())])
}

fn part(name: &str, bytes: Vec<u8>) -> Part {
    Part::bytes(bytes).file_name(name.to_string())
}

/// Posts a multipart form the way the page's form (or its upload script,
/// with `script`) does.
async fn upload(b: &Browser, path: &str, form: Form, script: bool) -> Response {
    let mut request = b.client.post(format!("{}{path}", b.base)).multipart(form);
    if script {
        // The script sends the page's token in a header, the form in a field.
        request = request
            .header("X-Upload", "1")
            .header("X-CSRF-Token", b.csrf().await);
    }
    request.send().await.expect("upload")
}

/// Every object under the local file directory.
fn stored_objects(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.join("files")];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

async fn customer_with_contact(api: &Api, company: &str, email: &str) -> i64 {
    let id = api.customer(json!({"company": company})).await;
    let r = api
        .post(
            "/contacts",
            json!({"customer_id": id, "first_name": "Kim", "last_name": company, "email": email,
                "password": "contact-password-1"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    id
}

async fn portal(app: &TestApp, email: &str) -> Browser {
    let p = app.browser();
    let r = p
        .post(
            "/portal/login",
            &[("email", email), ("password", "contact-password-1")],
        )
        .await;
    assert_eq!(r.status(), 303, "portal login of {email}");
    p
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n not really a picture";

async fn files_are_uploaded_shared_downloaded_and_deleted(app: TestApp) {
    let api = app.admin_api().await;
    let a = customer_with_contact(&api, "Akten GmbH", "kim@akten.example").await;
    let b = customer_with_contact(&api, "Belege AG", "kim@belege.example").await;
    let admin = app.admin().await;

    // The plain form: two files at once, not shared.
    let form = admin
        .form()
        .await
        .part("file", part("Angebot März.pdf", b"%PDF-1.4 offer".to_vec()))
        .part(
            "file",
            part("page.html", b"<script>alert(1)</script>".to_vec()),
        );
    let r = upload(&admin, &format!("/customers/{a}/files"), form, false).await;
    assert_eq!(r.status(), 303);
    // The upload script: one file per request, shared.
    let form = Form::new()
        .text("visible_to_customer", "on")
        .part("file", part("logo.png", PNG.to_vec()));
    let r = upload(&admin, &format!("/customers/{a}/files"), form, true).await;
    assert_eq!(r.status(), 201);

    let (status, page) = admin.text(&format!("/customers/{a}/files")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Angebot März.pdf")
            && page.contains("page.html")
            && page.contains("logo.png")
            && page.contains("Admin")
            && page.contains("id=\"upload-form\""),
        "{page}"
    );
    // Kinds of file by symbol and name, not by MIME type.
    assert!(page.contains("class=\"bi bi-file-earmark-pdf\"") && page.contains(">PDF</span>"));
    assert!(page.contains("class=\"bi bi-file-earmark-text\"") && page.contains(">Text</span>"));
    assert!(!page.contains(">application/pdf<"));
    let list = api.json(&format!("/files?customer_id={a}")).await;
    assert_eq!(list["total"], 3);
    let by_name = |name: &str| -> Value {
        list["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .cloned()
            .unwrap()
    };
    let (pdf, html, png) = (
        by_name("Angebot März.pdf"),
        by_name("page.html"),
        by_name("logo.png"),
    );
    assert_eq!(pdf["content_type"], "application/pdf");
    assert_eq!(pdf["size"], 14);
    assert_eq!(pdf["visible_to_customer"], false);
    assert_eq!(png["visible_to_customer"], true);
    assert_eq!(png["uploaded_by"], "Admin");
    assert!(pdf.get("storage_key").is_none());
    assert_eq!(stored_objects(app.data_dir.path()).len(), 3);

    // An uploaded page is an opaque attachment, never a page of ours.
    let r = admin
        .get(&format!("/files/{}/download?inline=1", html["id"]))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/octet-stream");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(
        r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(r.bytes().await.unwrap(), &b"<script>alert(1)</script>"[..]);
    let r = admin
        .get(&format!("/files/{}/download?inline=1", pdf["id"]))
        .await;
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let disposition = r.headers()["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("inline;") && disposition.contains("Angebot%20M%C3%A4rz.pdf"),
        "{disposition}"
    );
    let (status, preview) = admin.text(&format!("/files/{}", pdf["id"])).await;
    assert_eq!(status, 200);
    assert!(preview.contains("id=\"preview-pdf\""));

    // The contact sees the shared file only, and only its own customer's.
    let kim = portal(&app, "kim@akten.example").await;
    let (status, page) = kim.text("/portal/files").await;
    assert_eq!(status, 200);
    assert!(page.contains("logo.png") && !page.contains("Angebot") && !page.contains("page.html"));
    let (_, dashboard) = kim.text("/portal").await;
    assert!(
        dashboard.contains("id=\"portal-recent-files\"")
            && dashboard.contains("logo.png")
            && !dashboard.contains("page.html")
    );
    assert!(
        !dashboard.contains("id=\"portal-balance\""),
        "no invoice figures without the invoices permission"
    );
    let r = kim
        .get(&format!("/portal/files/{}/download", png["id"]))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap(), PNG);
    assert_eq!(
        kim.get(&format!("/portal/files/{}/download", pdf["id"]))
            .await
            .status(),
        404,
        "not shared"
    );
    let other = portal(&app, "kim@belege.example").await;
    assert_eq!(
        other
            .get(&format!("/portal/files/{}/download", png["id"]))
            .await
            .status(),
        404,
        "another customer's file"
    );
    assert!(!other.text("/portal/files").await.1.contains("logo.png"));
    assert_eq!(
        other
            .get(&format!("/files/{}/download", png["id"]))
            .await
            .status(),
        303,
        "a contact is no staff member"
    );

    // Contacts upload in the portal; their files are shared by nature.
    let form = kim
        .form()
        .await
        .part("file", part("Vertrag.pdf", b"%PDF signed".to_vec()));
    assert_eq!(
        upload(&kim, "/portal/files", form, false).await.status(),
        303
    );
    let list = api.json(&format!("/files?customer_id={a}")).await;
    let signed = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Vertrag.pdf")
        .cloned()
        .unwrap();
    assert_eq!(signed["visible_to_customer"], true);
    assert_eq!(signed["uploaded_by"], "Kim Akten GmbH");
    assert!(
        admin
            .text(&format!("/customers/{a}/files"))
            .await
            .1
            .contains("Vertrag.pdf")
    );
    assert!(
        !other.text("/portal/files").await.1.contains("Vertrag.pdf"),
        "another customer's contact never sees it"
    );

    // Sharing from the tab, and through the API.
    let r = admin
        .post(
            &format!("/files/{}/visibility", pdf["id"]),
            &[("visible_to_customer", "on")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        kim.text("/portal/files")
            .await
            .1
            .contains("Angebot März.pdf")
    );
    let r = api
        .patch(
            &format!("/files/{}", pdf["id"]),
            json!({"visible_to_customer": false, "name": "Angebot final.pdf"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(!kim.text("/portal/files").await.1.contains("Angebot"));
    for bad in ["../x", "bell\u{7}.pdf", ""] {
        let r = api
            .patch(&format!("/files/{}", pdf["id"]), json!({"name": bad}))
            .await;
        assert_eq!(r.status(), 422, "{bad:?}");
    }
    let activity = api.json(&format!("/customers/{a}/activity")).await;
    assert!(activity.to_string().contains("uploaded"), "{activity}");

    // The API: upload, download, delete.
    let form = Form::new()
        .text("customer_id", b.to_string())
        .part("file", part("notes.txt", b"plain text".to_vec()));
    let r = api.upload(form).await;
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["customer_id"], b);
    assert_eq!(created["content_type"], "text/plain");
    let r = api.get(&format!("/files/{}/download", created["id"])).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap(), &b"plain text"[..]);
    let before = stored_objects(app.data_dir.path()).len();
    let r = api.delete(&format!("/files/{}", created["id"])).await;
    assert_eq!(r.status(), 204);
    assert_eq!(
        api.get(&format!("/files/{}", created["id"])).await.status(),
        404
    );
    assert_eq!(stored_objects(app.data_dir.path()).len(), before - 1);

    // Staff see and change files only as far as their role allows.
    let (_, viewer) = app
        .staff_with(&api, "viewer", json!({"customers": ["view"]}))
        .await;
    let v = app.browser();
    v.login(&viewer, "staff-password-1").await;
    assert_eq!(
        v.get(&format!("/files/{}/download", png["id"]))
            .await
            .status(),
        200
    );
    let form = v.form().await.part("file", part("x.txt", b"x".to_vec()));
    assert_eq!(
        upload(&v, &format!("/customers/{a}/files"), form, false)
            .await
            .status(),
        403
    );
    assert_eq!(
        v.post(&format!("/files/{}/delete", png["id"]), &[])
            .await
            .status(),
        403
    );
    let (_, own) = app
        .staff_with(&api, "owner", json!({"customers": ["view_own", "edit"]}))
        .await;
    let o = app.browser();
    o.login(&own, "staff-password-1").await;
    assert_eq!(
        o.get(&format!("/files/{}/download", png["id"]))
            .await
            .status(),
        404,
        "not one of the customers this staff member administers"
    );
    assert_eq!(o.text(&format!("/customers/{a}/files")).await.0, 404);

    // Deleting in the tab, then deleting the customer, removes the objects.
    let r = admin
        .post(&format!("/files/{}/delete", png["id"]), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        kim.get(&format!("/portal/files/{}/download", png["id"]))
            .await
            .status(),
        404
    );
    assert_eq!(stored_objects(app.data_dir.path()).len(), 3);
    assert_eq!(api.delete(&format!("/customers/{a}")).await.status(), 204);
    assert_eq!(stored_objects(app.data_dir.path()).len(), 0);
}

async fn bad_uploads_are_refused_and_store_nothing(app: TestApp) {
    let api = app.admin_api().await;
    let a = customer_with_contact(&api, "Grenzfall GmbH", "kim@grenzfall.example").await;
    let admin = app.admin().await;
    let path = format!("/customers/{a}/files");

    let cases: [(&str, Vec<u8>, &str); 7] = [
        (
            "../../etc/passwd",
            b"x".to_vec(),
            "Dieser Dateiname ist nicht erlaubt",
        ),
        (
            "..\\..\\boot.ini",
            b"x".to_vec(),
            "Dieser Dateiname ist nicht erlaubt",
        ),
        ("leer.txt", Vec::new(), "Die Datei ist leer."),
        (
            "gross.bin",
            vec![7u8; 1024 * 1024 + 1],
            "Die Datei ist größer als erlaubt.",
        ),
        ("..", b"x".to_vec(), "Dieser Dateiname ist nicht erlaubt"),
        (
            "invoice\u{202e}fdp.exe",
            b"MZ".to_vec(),
            "Der Dateiname enthält unsichtbare Zeichen",
        ),
        (
            "\u{200b}\u{200d}",
            b"x".to_vec(),
            "Der Dateiname enthält unsichtbare Zeichen",
        ),
    ];
    for (name, bytes, message) in cases {
        let form = admin.form().await.part("file", part(name, bytes.clone()));
        let r = upload(&admin, &path, form, false).await;
        let status = r.status();
        let body = r.text().await.unwrap();
        assert_eq!(status, 422, "{name}: {body}");
        assert!(body.contains(message), "{name}: {body}");
        let form = Form::new().part("file", part(name, bytes));
        let r = upload(&admin, &path, form, true).await;
        assert_eq!(r.status(), 422, "{name}");
        let body: Value = r.json().await.unwrap();
        let text = body["error"]["message"].as_str().unwrap_or_default();
        assert!(text.starts_with(message), "{name}: {body}");
    }
    let r = upload(
        &admin,
        &path,
        admin.form().await.text("visible_to_customer", "on"),
        false,
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Bitte wählen Sie eine Datei.")
    );

    // The API takes the parts its document names and no others.
    for (field, value) in [("comment", "hallo"), ("visible_to_customer", "vielleicht")] {
        let form = Form::new()
            .text("customer_id", a.to_string())
            .text(field, value)
            .part("file", part("notiz.txt", b"x".to_vec()));
        let r = api.upload(form).await;
        assert_eq!(r.status(), 422, "{field}");
        let body: Value = r.json().await.unwrap();
        assert!(
            body["error"]["fields"][field].is_string(),
            "{field}: {body}"
        );
    }

    // A body declared far beyond the limit is refused before it is read.
    let csrf = admin.csrf().await;
    let r = admin
        .client
        .post(format!("{}{path}", admin.base))
        .header("x-csrf-token", csrf)
        .header("content-type", "multipart/form-data; boundary=x")
        .header("content-length", (1024u64 * 1024 * 1024).to_string())
        .body("--x\r\n")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 422);

    // Endless small fields are no way around the missing body limit.
    let mut many = admin.form().await;
    for n in 0..100 {
        many = many.text(format!("note{n}"), "x");
    }
    let r = upload(&admin, &path, many, false).await;
    assert_eq!(r.status(), 422);

    // Without the CSRF token nothing is read at all.
    let r = admin
        .client
        .post(format!("{}{path}", admin.base))
        .multipart(Form::new().part("file", part("a.txt", b"a".to_vec())))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 403);

    // The API answers in the error format, naming the field.
    let form = Form::new()
        .text("customer_id", a.to_string())
        .part("file", part("gross.bin", vec![1u8; 1024 * 1024 + 10]));
    let r = api.upload(form).await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["fields"]["file"].is_string(), "{body}");
    let r = api
        .upload(Form::new().part("file", part("a.txt", b"a".to_vec())))
        .await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["fields"]["customer_id"].is_string(), "{body}");

    // A contact cannot upload onto another customer by naming it.
    let other = api.customer(json!({"company": "Fremd AG"})).await;
    let kim = portal(&app, "kim@grenzfall.example").await;
    let form = kim
        .form()
        .await
        .text("customer_id", other.to_string())
        .part("file", part("a.txt", b"a".to_vec()));
    assert_eq!(
        upload(&kim, "/portal/files", form, false).await.status(),
        303
    );
    assert_eq!(
        api.json(&format!("/files?customer_id={other}")).await["total"],
        0
    );
    assert_eq!(
        api.json(&format!("/files?customer_id={a}")).await["total"],
        1
    );

    assert_eq!(
        stored_objects(app.data_dir.path()).len(),
        1,
        "nothing refused was kept"
    );

    // A row whose object went missing answers 404, not an error page.
    let kept = api.json(&format!("/files?customer_id={a}")).await["data"][0]["id"].clone();
    std::fs::remove_file(&stored_objects(app.data_dir.path())[0]).unwrap();
    assert_eq!(
        admin.get(&format!("/files/{kept}/download")).await.status(),
        404
    );
}

/// A real S3-compatible server (moto's) at `KONTOR_TEST_S3`.
fn s3_endpoint() -> Option<String> {
    match std::env::var("KONTOR_TEST_S3")
        .ok()
        .filter(|v| !v.is_empty())
    {
        Some(url) => Some(url),
        None if required("s3") => {
            panic!("KONTOR_TEST_REQUIRE asks for s3 but KONTOR_TEST_S3 is not set")
        }
        None => {
            skipped("S3 (KONTOR_TEST_S3)");
            None
        }
    }
}

/// The bucket is made before the app starts; without a server the
/// settings stay empty and the test returns early.
pub fn s3_settings() -> HashMap<String, String> {
    let Some(endpoint) = s3_endpoint() else {
        return HashMap::new();
    };
    let bucket = format!(
        "kontor-{}",
        kernel::auth::random_token()[..10].to_lowercase()
    );
    let status = std::thread::spawn({
        let url = format!("{endpoint}/{bucket}");
        move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(async { reqwest::Client::new().put(url).send().await })
        }
    })
    .join()
    .expect("create bucket")
    .expect("create bucket");
    assert!(
        status.status().is_success(),
        "create bucket: {}",
        status.status()
    );
    HashMap::from([
        (
            "KONTOR_STORAGE_URL".to_string(),
            format!("s3://{bucket}/kontor"),
        ),
        ("AWS_ENDPOINT".to_string(), endpoint),
        ("AWS_ALLOW_HTTP".to_string(), "true".to_string()),
        ("AWS_ACCESS_KEY_ID".to_string(), "test".to_string()),
        ("AWS_SECRET_ACCESS_KEY".to_string(), "test".to_string()),
        ("AWS_REGION".to_string(), "us-east-1".to_string()),
    ])
}

/// The bucket's object list as the S3 server answers it (XML).
async fn bucket_listing(http: &reqwest::Client, endpoint: &str, bucket: &str) -> String {
    http.get(format!("{endpoint}/{bucket}?list-type=2"))
        .send()
        .await
        .expect("list bucket")
        .text()
        .await
        .expect("listing")
}

async fn files_are_stored_in_s3_when_configured(app: TestApp) {
    let Some(endpoint) = s3_endpoint() else {
        return;
    };
    let url = app.state.config.storage_url.clone().expect("s3 storage");
    let bucket = url
        .trim_start_matches("s3://")
        .split('/')
        .next()
        .expect("bucket")
        .to_string();
    let http = reqwest::Client::new();
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Wolke GmbH"})).await;
    // Larger than one part, so the multipart upload really has several.
    let bytes: Vec<u8> = (0..9 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    let form = Form::new()
        .text("customer_id", c.to_string())
        .part("file", part("archiv.bin", bytes.clone()));
    let r = api.upload(form).await;
    assert_eq!(r.status(), 201);
    let file: Value = r.json().await.unwrap();
    let listing = bucket_listing(&http, &endpoint, &bucket).await;
    assert!(
        listing.contains(&format!("kontor/customers/{c}/")),
        "{listing}"
    );
    assert!(
        stored_objects(app.data_dir.path()).is_empty(),
        "nothing local"
    );
    let r = api.get(&format!("/files/{}/download", file["id"])).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), bytes.as_slice());
    assert_eq!(
        api.delete(&format!("/files/{}", file["id"])).await.status(),
        204
    );
    let listing = bucket_listing(&http, &endpoint, &bucket).await;
    assert!(!listing.contains("customers/"), "{listing}");
}

async fn files_hang_on_invoices_for_who_may_see_them(app: TestApp) {
    let api = app.admin_api().await;
    let c = api.customer(json!({"company": "Anhang GmbH"})).await;
    let (invoice, number) = api.issued_invoice(c, "Montage", "80").await;
    let b = app.admin().await;

    let form = b
        .form()
        .await
        .part("file", part("aufmass.txt", b"3,5 m Kabelkanal".to_vec()));
    let r = upload(&b, &format!("/invoices/{invoice}/files"), form, false).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("/invoices/{invoice}#files")
    );
    // On the invoice, and on the customer's Files tab as attached to it.
    let (_, page) = b.text(&format!("/invoices/{invoice}")).await;
    let files = &page[page.find("id=\"files\"").expect("files on the invoice")..];
    assert!(files.contains("aufmass.txt"), "{files}");
    let download = files
        .split("href=\"/files/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("a download link");
    let (_, tab) = b.text(&format!("/customers/{c}/files")).await;
    assert!(tab.contains("aufmass.txt"), "{tab}");
    assert!(
        tab.contains(&format!("<a href=\"/invoices/{invoice}\">{number}</a>")),
        "{tab}"
    );
    let r = b.get(&format!("/files/{download}/download")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"3,5 m Kabelkanal");

    // An empty upload changes nothing and says why.
    let form = b.form().await.part("file", part("leer.txt", Vec::new()));
    let r = upload(&b, &format!("/invoices/{invoice}/files"), form, false).await;
    assert_eq!(r.status(), 303);
    let (_, page) = b.text(&format!("/invoices/{invoice}")).await;
    assert!(page.contains("Die Datei ist leer."), "{page}");
    assert!(!page.contains("leer.txt"));

    // Customers yes, invoices no: the invoice's file is nowhere to be had.
    let (_, email) = app
        .staff_with(&api, "kunden", json!({"customers": ["view", "edit"]}))
        .await;
    let clerk = app.browser();
    clerk.login(&email, "staff-password-1").await;
    let (status, tab) = clerk.text(&format!("/customers/{c}/files")).await;
    assert_eq!(status, 200);
    assert!(!tab.contains("aufmass.txt"), "{tab}");
    let r = clerk.get(&format!("/files/{download}/download")).await;
    assert_eq!(r.status(), 404);
    let (_, log) = clerk.text(&format!("/customers/{c}/activity")).await;
    assert!(!log.contains("aufmass.txt"), "{log}");
    let (_, log) = b.text(&format!("/customers/{c}/activity")).await;
    assert!(log.contains("aufmass.txt"), "{log}");
    let form = clerk
        .form()
        .await
        .part("file", part("fremd.txt", b"x".to_vec()));
    let r = upload(&clerk, &format!("/invoices/{invoice}/files"), form, false).await;
    assert!(matches!(r.status().as_u16(), 403 | 404), "{}", r.status());
}
