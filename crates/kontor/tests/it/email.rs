//! Email: the outbox drained by the worker, written as .eml without SMTP
//! and delivered to a real SMTP server when one is configured.

use std::{
    collections::HashMap,
    io,
    net::TcpListener,
    sync::{Arc, Mutex},
};

use mailin_embedded::{Handler, Server};

use crate::{helpers::*, on_both};

on_both!(password_reset_mail_is_written_as_eml_and_the_link_works);

async fn password_reset_mail_is_written_as_eml_and_the_link_works(app: TestApp) {
    let (_, page) = app.admin().await.text("/customers").await;
    assert!(
        page.contains("id=\"mail-notice\"") && page.contains(".eml"),
        "admins are told mails go to files"
    );
    let b = app.browser();
    let r = b.post("/password/forgot", &[("email", ADMIN_EMAIL)]).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("id=\"reset-sent\""));
    let r = b
        .post("/password/forgot", &[("email", "nobody@example.com")])
        .await;
    assert_eq!(r.status(), 200, "unknown addresses get the same answer");
    assert_eq!(app.run_pending_jobs().await, 1, "one mail sent");
    assert_eq!(app.run_pending_jobs().await, 0, "and only once");
    let dir = app.data_dir.path().join("mail");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    // Undo quoted-printable soft line breaks and escapes as a mail reader would.
    let eml = std::fs::read_to_string(&files[0])
        .unwrap()
        .replace("=\r\n", "")
        .replace("=3D", "=");
    assert!(eml.contains(&format!("To: {ADMIN_EMAIL}")));
    let link = eml
        .split_whitespace()
        .find(|w| w.starts_with(&format!("{}/password/reset/", app.base)))
        .expect("reset link in the text part")
        .trim_end_matches('"')
        .to_string();
    let path = link.trim_start_matches(&app.base).to_string();
    let r = b.post(&path, &[("password", "brand-new-password")]).await;
    assert_eq!(r.status(), 303);
    app.browser().login(ADMIN_EMAIL, "brand-new-password").await;
    let r = b.post(&path, &[("password", "another-password-1")]).await;
    assert_eq!(r.status(), 400, "a link works once");
}

#[derive(Clone, Default)]
struct Inbox {
    current: Vec<u8>,
    received: Arc<Mutex<Vec<String>>>,
}

impl Handler for Inbox {
    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let message = String::from_utf8_lossy(&std::mem::take(&mut self.current)).to_string();
        if let Ok(mut r) = self.received.lock() {
            r.push(message);
        }
        mailin_embedded::response::OK
    }
}

/// A real SMTP server on a free port: the app settings that send to it,
/// and the raw messages it receives.
pub fn smtp_server() -> (HashMap<String, String>, Arc<Mutex<Vec<String>>>) {
    let inbox = Inbox::default();
    let received = inbox.received.clone();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("port").port();
    let mut server = Server::new(inbox);
    server.with_name("test.local").with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    let settings = HashMap::from([(
        "KONTOR_SMTP_URL".to_string(),
        format!("smtp://127.0.0.1:{port}"),
    )]);
    (settings, received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_mail_is_delivered_through_a_real_smtp_server() {
    let (settings, received) = smtp_server();
    let app = spawn_app_with(Backend::Sqlite, settings).await;
    let (_, page) = app.admin().await.text("/customers").await;
    assert!(!page.contains("id=\"mail-notice\""));
    let b = app.browser();
    b.post("/language", &[("locale", "en")]).await;
    assert_eq!(
        b.post("/password/forgot", &[("email", ADMIN_EMAIL)])
            .await
            .status(),
        200
    );
    assert_eq!(app.run_pending_jobs().await, 1);
    let mails = received.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(mail.contains(&format!("To: {ADMIN_EMAIL}")));
    let parsed = mail_parser::MessageParser::default()
        .parse(mail.as_bytes())
        .expect("a MIME message");
    assert_eq!(
        parsed.subject(),
        Some("Kontor-Passwort zurücksetzen"),
        "German: the admin's language"
    );
    assert!(mail.contains("multipart/alternative") && mail.contains("text/html"));
    assert!(mail.contains("/password/reset/"));
    assert!(
        !app.data_dir.path().join("mail").exists(),
        "nothing written to disk with SMTP"
    );
}

on_both!(contact_invitation_sets_the_portal_password_once);

async fn contact_invitation_sets_the_portal_password_once(app: TestApp) {
    let api = app.admin_api().await;
    let customer = api
        .customer(serde_json::json!({"company": "Invite Ltd", "language": "en"}))
        .await;
    let contact: serde_json::Value = api
        .post("/contacts", serde_json::json!({"customer_id": customer, "first_name": "Ivy", "last_name": "Ng", "email": "ivy@invite.example"}))
        .await
        .json()
        .await
        .unwrap();
    let id = contact["id"].as_i64().unwrap();
    assert_eq!(contact["has_password"], false);
    let b = app.admin().await;
    assert_eq!(
        b.post(&format!("/contacts/{id}/invite"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(app.run_pending_jobs().await, 1);
    let file = std::fs::read_dir(app.data_dir.path().join("mail"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let eml = std::fs::read_to_string(file)
        .unwrap()
        .replace("=\r\n", "")
        .replace("=3D", "=");
    assert!(eml.contains("To: ivy@invite.example"));
    assert!(
        eml.contains("Subject: Your access to the Invite Ltd customer portal"),
        "in the customer's language"
    );
    let link = eml
        .split_whitespace()
        .find(|w| w.contains("/portal/password/"))
        .expect("link")
        .trim_end_matches('"')
        .to_string();
    let path = link.trim_start_matches(&app.base).to_string();
    let visitor = app.browser();
    let (status, form) = visitor.text(&path).await;
    assert_eq!(status, 200);
    assert!(form.contains("name=\"password\""));
    assert_eq!(
        visitor.post(&path, &[("password", "short")]).await.status(),
        422
    );
    let r = visitor
        .post(&path, &[("password", "ivy-portal-password")])
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("id=\"password-set\""));
    assert_eq!(
        visitor
            .post(&path, &[("password", "another-password-1")])
            .await
            .status(),
        400,
        "a link works once"
    );
    let contact = api.json(&format!("/contacts/{id}")).await;
    assert_eq!(contact["has_password"], true);
    assert!(contact["invited_at"].is_string());
    let trail = api.json(&format!("/customers/{customer}/activity")).await;
    let actions: Vec<&str> = trail["activity"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["action"].as_str())
        .collect();
    assert!(actions.contains(&"invited") && actions.contains(&"password-set"));
    let again = api
        .post(&format!("/contacts/{id}/invite"), serde_json::json!({}))
        .await;
    assert_eq!(again.status(), 200, "inviting again through the API");
    assert_eq!(app.run_pending_jobs().await, 1);
    api.patch(
        &format!("/contacts/{id}"),
        serde_json::json!({"is_primary": true, "active": true}),
    )
    .await;
    let other: serde_json::Value = api
        .post("/contacts", serde_json::json!({"customer_id": customer, "first_name": "Old", "last_name": "X", "email": "old@invite.example", "active": false}))
        .await
        .json()
        .await
        .unwrap();
    let refused = api
        .post(
            &format!("/contacts/{}/invite", other["id"]),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(refused.status(), 422, "inactive contacts are not invited");
}
