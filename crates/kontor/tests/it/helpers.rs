//! `spawn_app()`: every test gets its own app on its own port with its own
//! database (a SQLite file, or a fresh PostgreSQL database when
//! `KONTOR_TEST_PG` is set), and talks to it over HTTP like a browser or an
//! API client would.

use std::{collections::HashMap, sync::Arc};

use chrono::{DateTime, TimeZone, Utc};
use kernel::{clock::Clock, config::Config};
use kontor::state::AppState;
use reqwest::{Client, Response, cookie::CookieStore, redirect::Policy};
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;
use tokio::sync::watch;

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "admin-password-123";

/// Runs the test body on SQLite and, when configured, on PostgreSQL;
/// `with f =>` starts the apps with the settings `f()` returns.
#[macro_export]
macro_rules! on_both {
    (with $settings:ident => $($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::spawn_app_with($crate::helpers::Backend::Sqlite, super::$settings()).await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(url) = $crate::helpers::pg_url() {
                        super::$name($crate::helpers::spawn_app_with($crate::helpers::Backend::Postgres(url), super::$settings()).await).await;
                    }
                }
            }
        )*
    };
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(url) = $crate::helpers::pg_url() {
                        super::$name($crate::helpers::spawn_app($crate::helpers::Backend::Postgres(url)).await).await;
                    }
                }
            }
        )*
    };
}

/// Where every test app's clock starts: a fixed moment, so no test depends
/// on the real calendar (the apps' clocks run on from here; tests move them
/// with `app.state.clock.set/advance` instead of sleeping).
pub fn test_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0)
        .single()
        .expect("a valid moment")
}

pub enum Backend {
    Sqlite,
    Postgres(String),
}

/// The PostgreSQL server URL, or `None` to skip; required suites fail instead.
pub fn pg_url() -> Option<String> {
    match std::env::var("KONTOR_TEST_PG")
        .ok()
        .filter(|v| !v.is_empty())
    {
        Some(url) => Some(url),
        None if required("pg") => {
            panic!("KONTOR_TEST_REQUIRE asks for pg but KONTOR_TEST_PG is not set")
        }
        None => {
            skipped("PostgreSQL (KONTOR_TEST_PG)");
            None
        }
    }
}

static SKIPPED: std::sync::Mutex<std::collections::BTreeMap<&'static str, usize>> =
    std::sync::Mutex::new(std::collections::BTreeMap::new());

/// Counts a test that did not run because its suite is not configured; the
/// binary prints one line per skipped suite when it ends, so a skip never
/// passes for a run.
pub fn skipped(suite: &'static str) {
    static REPORT: std::sync::Once = std::sync::Once::new();
    REPORT.call_once(|| {
        extern "C" fn report() {
            if let Ok(skipped) = SKIPPED.lock() {
                for (suite, n) in skipped.iter() {
                    eprintln!("SKIPPED: {n} tests of the {suite} suite did not run (reported ok)");
                }
            }
        }
        // SAFETY: registers a plain function without captures to run at exit.
        unsafe {
            libc::atexit(report);
        }
    });
    if let Ok(mut s) = SKIPPED.lock() {
        *s.entry(suite).or_default() += 1;
    }
}

/// `TEST_LOG=1` shows the app's log (a 500's cause) in the test output.
fn init_test_log() {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| "info,sqlx=warn".into()),
                )
                .with_test_writer()
                .try_init();
        }
    });
}

pub fn required(suite: &str) -> bool {
    std::env::var("KONTOR_TEST_REQUIRE").is_ok_and(|v| v.split(',').any(|s| s.trim() == suite))
}

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub data_dir: tempfile::TempDir,
    stop: watch::Sender<bool>,
    pg_cleanup: Option<(String, String)>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some((server, name)) = self.pg_cleanup.take() {
            drop_database(server, name);
        }
    }
}

/// An empty database: a SQLite file in `dir`, or a new PostgreSQL
/// database on the test server; the second value names what to drop.
pub async fn fresh_database(
    backend: Backend,
    dir: &std::path::Path,
) -> (String, Option<(String, String)>) {
    match backend {
        Backend::Sqlite => (
            format!("sqlite://{}?mode=rwc", dir.join("kontor.db").display()),
            None,
        ),
        Backend::Postgres(server) => {
            let name = format!("kontor_test_{}", db_name_suffix());
            let admin = Database::connect(&server)
                .await
                .expect("connect to KONTOR_TEST_PG");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            let (base, _) = server
                .rsplit_once('/')
                .expect("KONTOR_TEST_PG needs a database path");
            (format!("{base}/{name}"), Some((server.clone(), name)))
        }
    }
}

/// Drops a database [`fresh_database`] made, from any context.
pub fn drop_database(server: String, name: String) {
    let _ = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        rt.block_on(async {
            let db = Database::connect(&server).await.ok()?;
            db.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .ok()
        })
    })
    .join();
}

fn db_name_suffix() -> String {
    kernel::auth::random_token()[..12].to_string()
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, HashMap::new()).await
}

/// Like [`spawn_app`] with extra `KONTOR_*` settings.
pub async fn spawn_app_with(backend: Backend, settings: HashMap<String, String>) -> TestApp {
    let app = spawn_unconfigured(backend, settings).await;
    app.set_up_company().await;
    app
}

/// An app as first started: nobody has entered the company details yet.
pub async fn spawn_unconfigured(backend: Backend, settings: HashMap<String, String>) -> TestApp {
    init_test_log();
    let data_dir = tempfile::tempdir().expect("tempdir");
    let (database_url, pg_cleanup) = fresh_database(backend, data_dir.path()).await;
    spawn_on(data_dir, database_url, pg_cleanup, settings).await
}

/// The company details the first-run setup asks for, as a business enters
/// them before it issues anything.
pub const COMPANY: [(&str, &str); 6] = [
    ("name", "Kontor Test GmbH"),
    ("street", "Teststraße 1"),
    ("zip", "10115"),
    ("city", "Berlin"),
    ("country", "Deutschland"),
    ("tax_number", "27/123/45678"),
];

/// The settings every test app runs with, on this database and directory.
pub fn test_env(database_url: &str, data_dir: &std::path::Path) -> HashMap<String, String> {
    HashMap::from([
        ("DATABASE_URL".to_string(), database_url.to_string()),
        (
            "KONTOR_DATA_DIR".to_string(),
            data_dir.display().to_string(),
        ),
        ("KONTOR_ADMIN_EMAIL".to_string(), ADMIN_EMAIL.to_string()),
        (
            "KONTOR_ADMIN_PASSWORD".to_string(),
            ADMIN_PASSWORD.to_string(),
        ),
        (
            "KONTOR_LOGIN_ATTEMPTS_PER_MINUTE".to_string(),
            "5".to_string(),
        ),
        (
            "KONTOR_MAX_BODY_BYTES".to_string(),
            (256 * 1024).to_string(),
        ),
        // Tests stand in for a reverse proxy on loopback, so a test client
        // can come from any address through X-Forwarded-For.
        (
            "KONTOR_TRUSTED_PROXIES".to_string(),
            "127.0.0.1".to_string(),
        ),
    ])
}

/// Serves an app on an existing data directory and database (a restored one).
pub async fn spawn_on(
    data_dir: tempfile::TempDir,
    database_url: String,
    pg_cleanup: Option<(String, String)>,
    settings: HashMap<String, String>,
) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let base = format!("http://{addr}");
    let mut env = test_env(&database_url, data_dir.path());
    env.insert("KONTOR_BASE_URL".to_string(), base.clone());
    env.extend(settings);
    let config = Config::from_env_map(env).expect("config");
    let clock = Clock::manual(config.timezone, test_now());
    let state = kontor::app::init_with_clock(config, clock)
        .await
        .expect("init app");
    let (stop, stopped) = watch::channel(false);
    tokio::spawn(kontor::app::serve_requests(
        state.clone(),
        listener,
        stopped,
    ));
    TestApp {
        base,
        state,
        data_dir,
        stop,
        pg_cleanup,
    }
}

/// A second server on the same database and files, as another instance of
/// a multi-instance installation; stops when dropped.
pub struct Instance {
    pub base: String,
    pub state: AppState,
    stop: watch::Sender<bool>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

impl TestApp {
    /// Enters [`COMPANY`] as Settings › Billing would.
    pub async fn set_up_company(&self) {
        for (field, value) in COMPANY {
            kernel::settings::set(
                &self.state.db,
                &format!("company.{field}"),
                value,
                self.state.clock.now(),
            )
            .await
            .expect("company details");
        }
    }

    pub async fn second_instance(&self) -> Instance {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let mut config = (*self.state.config).clone();
        config.base_url = base.clone();
        let state = kontor::app::init_with_clock(config, self.state.clock.clone())
            .await
            .expect("init second instance");
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(kontor::app::serve_requests(
            state.clone(),
            listener,
            stopped,
        ));
        Instance { base, state, stop }
    }

    /// A browser-like client: cookies kept, redirects not followed.
    pub fn browser(&self) -> Browser {
        self.browser_at("127.0.0.1")
    }

    /// A browser at another address (as the proxy in front reports it).
    pub fn browser_at(&self, ip: &str) -> Browser {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-forwarded-for", ip.parse().expect("an address"));
        let client = Client::builder()
            .cookie_provider(jar.clone())
            .default_headers(headers)
            .redirect(Policy::none())
            .build()
            .expect("client");
        Browser {
            client,
            jar,
            base: self.base.clone(),
        }
    }

    /// A browser logged in as the first admin.
    pub async fn admin(&self) -> Browser {
        let b = self.browser();
        b.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        b
    }

    pub fn api(&self, token: &str) -> Api {
        Api {
            client: Client::new(),
            base: format!("{}/api/v1", self.base),
            token: token.to_string(),
        }
    }

    /// An API client acting as the first admin.
    pub async fn admin_api(&self) -> Api {
        self.api_as(ADMIN_EMAIL).await
    }

    /// An API client acting as the staff member with this email.
    pub async fn api_as(&self, email: &str) -> Api {
        let id = kontor::modules::staff::service::id_by_email(&self.state.db, email)
            .await
            .expect("staff member");
        let token = kontor::modules::staff::service::create_token(
            &self.state.db,
            id,
            "test",
            &self.state.clock,
        )
        .await
        .expect("token");
        self.api(&token)
    }

    /// Runs one round of the background work (jobs, the mail outbox) now
    /// instead of waiting; returns how many items it handled. A failing
    /// task fails the test with its error.
    pub async fn run_pending_jobs(&self) -> usize {
        let round = kontor::app::worker(&self.state).run_once().await;
        assert!(
            round.failed.is_empty(),
            "worker tasks failed: {:?}",
            round.failed
        );
        round.done
    }

    /// Creates a staff member with a role of the given permissions; returns its email.
    pub async fn staff_with(&self, api: &Api, name: &str, permissions: Value) -> (i64, String) {
        let role = api
            .post(
                "/roles",
                serde_json::json!({"name": format!("role {name}"), "permissions": permissions}),
            )
            .await;
        assert_eq!(role.status(), 201, "create role");
        let role: Value = role.json().await.expect("json");
        let email = format!("{name}@example.com");
        let staff = api
            .post(
                "/staff",
                serde_json::json!({"email": email, "first_name": name, "last_name": "Test", "password": "staff-password-1",
                    "role_id": role["id"]}),
            )
            .await;
        assert_eq!(staff.status(), 201, "create staff");
        let staff: Value = staff.json().await.expect("json");
        (staff["id"].as_i64().expect("id"), email)
    }
}

/// The CSRF token a rendered page carries (its forms' hidden field).
pub fn csrf_in(page: &str) -> Option<String> {
    let start = page.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    let len = page[start..].find('"')?;
    Some(page[start..start + len].to_string())
}

pub struct Browser {
    pub client: Client,
    jar: Arc<reqwest::cookie::Jar>,
    pub base: String,
}

impl Browser {
    /// The same browser (its cookies) on another network.
    pub fn moved_to(&self, ip: &str) -> Browser {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-forwarded-for", ip.parse().expect("an address"));
        let client = Client::builder()
            .cookie_provider(self.jar.clone())
            .default_headers(headers)
            .redirect(Policy::none())
            .build()
            .expect("client");
        Browser {
            client,
            jar: self.jar.clone(),
            base: self.base.clone(),
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = self.base.parse().ok()?;
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split("; ")
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_string))
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET")
    }

    pub async fn text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        (r.status().as_u16(), r.text().await.expect("body"))
    }

    /// The CSRF token the next form must echo. Without a session it is the
    /// anonymous cookie; with one it is bound to the session, so it is read
    /// from a page as the browser's form would have it.
    pub async fn csrf(&self) -> String {
        let signed_in =
            self.cookie("kontor_session").is_some() || self.cookie("kontor_portal").is_some();
        if !signed_in {
            if let Some(t) = self.cookie("kontor_csrf") {
                return t;
            }
            self.get("/login").await;
            return self.cookie("kontor_csrf").expect("csrf cookie");
        }
        let (_, page) = self.text("/password/forgot").await;
        csrf_in(&page).expect("a CSRF token on the page")
    }

    /// A multipart form that starts with the CSRF token, as the page's
    /// upload forms do; add the fields and files after it.
    pub async fn form(&self) -> reqwest::multipart::Form {
        reqwest::multipart::Form::new().text("_csrf", self.csrf().await)
    }

    /// Uploads one file as the `file` field of a page's form (with the
    /// CSRF token).
    pub async fn upload_file(&self, path: &str, name: &str, bytes: Vec<u8>) -> Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
        let form = self.form().await.part("file", part);
        self.client
            .post(format!("{}{path}", self.base))
            .multipart(form)
            .send()
            .await
            .expect("upload")
    }

    /// Posts a form with the CSRF token, as the page's form would.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let csrf = self.csrf().await;
        let mut form: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        self.client
            .post(format!("{}{path}", self.base))
            .form(&form)
            .send()
            .await
            .expect("POST")
    }

    /// Posts a form from the page `from`, as a browser names it in
    /// `Referer`.
    pub async fn post_from(&self, from: &str, path: &str, fields: &[(&str, &str)]) -> Response {
        let csrf = self.csrf().await;
        let mut form: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        self.client
            .post(format!("{}{path}", self.base))
            .header("referer", format!("{}{from}", self.base))
            .form(&form)
            .send()
            .await
            .expect("POST")
    }

    pub async fn login(&self, email: &str, password: &str) {
        let r = self
            .post(
                "/login",
                &[("email", email), ("password", password), ("next", "")],
            )
            .await;
        assert_eq!(r.status(), 303, "login of {email} failed");
    }
}

pub struct Api {
    pub client: Client,
    pub base: String,
    pub token: String,
}

impl Api {
    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("GET")
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .expect("POST")
    }

    pub async fn patch(&self, path: &str, body: Value) -> Response {
        self.client
            .patch(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .expect("PATCH")
    }

    /// The body of a successful GET (a download, a PDF).
    pub async fn bytes(&self, path: &str) -> Vec<u8> {
        let r = self.get(path).await;
        assert_eq!(r.status(), 200, "GET {path}");
        r.bytes().await.expect("body").to_vec()
    }

    /// Asks for a vault entry's password, confirming with `password`.
    pub async fn reveal(&self, entry: i64, password: &str) -> Response {
        self.post(
            &format!("/vault/{entry}/reveal"),
            serde_json::json!({ "password": password }),
        )
        .await
    }

    /// Uploads a file as `POST /files` with the multipart `form`.
    pub async fn upload(&self, form: reqwest::multipart::Form) -> Response {
        self.client
            .post(format!("{}/files", self.base))
            .bearer_auth(&self.token)
            .multipart(form)
            .send()
            .await
            .expect("upload")
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.client
            .delete(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("DELETE")
    }

    pub async fn json(&self, path: &str) -> Value {
        let r = self.get(path).await;
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.expect("json")
    }

    /// Issues a draft (`kind` is `invoices` or `credit-notes`) and returns
    /// the issued document; anything but success fails the test.
    pub async fn issue(&self, kind: &str, id: impl std::fmt::Display) -> Value {
        let r = self
            .post(&format!("/{kind}/{id}/issue"), serde_json::json!({}))
            .await;
        let status = r.status();
        let body: Value = r.json().await.expect("json");
        assert_eq!(status, 200, "issue /{kind}/{id}: {body}");
        body
    }

    /// Creates and issues an invoice of one line (`rate` net, 19 % tax) for
    /// the customer; returns its id and number.
    pub async fn issued_invoice(
        &self,
        customer: i64,
        description: &str,
        rate: &str,
    ) -> (i64, String) {
        let item = serde_json::json!({"description": description, "quantity": "1", "rate": rate, "taxes": ["19"]});
        let r = self
            .post(
                "/invoices",
                serde_json::json!({"customer_id": customer, "items": [item]}),
            )
            .await;
        assert_eq!(r.status(), 201, "create invoice");
        let id = r.json::<Value>().await.expect("json")["id"]
            .as_i64()
            .expect("id");
        let issued = self.issue("invoices", id).await;
        (id, issued["number"].as_str().expect("number").to_string())
    }

    /// Creates a customer and returns its id.
    pub async fn customer(&self, body: Value) -> i64 {
        let r = self.post("/customers", body).await;
        assert_eq!(r.status(), 201, "create customer");
        r.json::<Value>().await.expect("json")["id"]
            .as_i64()
            .expect("id")
    }
}
