//! `kontor demo`: realistic fake customers with contacts and notes, written
//! in large batches so 100,000 customers take seconds, not hours. Names are
//! drawn from a seeded generator, so two runs produce the same data.

use std::time::Instant;

use anyhow::{Context, Result};
use chrono::Duration;
use kernel::i18n::Locale;
use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};
use sea_orm::{ConnectionTrait, FromQueryResult, Statement};

pub mod billing;

use crate::{
    modules::{
        billing::service as billing_settings,
        contacts::{model::ContactData, service as contacts},
        customers::{
            model::{Address, CustomerData, search_text},
            service as customers,
        },
        notes::{model::NoteData, service as notes},
        staff::service as staff,
    },
    state::AppState,
};

const BATCH: usize = 400;

const PREFIXES: [&str; 24] = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Nordlicht",
    "Alpen",
    "Rhein",
    "Elbe",
    "Hansa",
    "Sonnen",
    "Berg",
    "Tal",
    "Stern",
    "Kraft",
    "Blau",
    "Grün",
];
const TRADES: [&str; 16] = [
    "Bau",
    "Technik",
    "Logistik",
    "Consulting",
    "Elektro",
    "Holz",
    "Medien",
    "Druck",
    "Software",
    "Metall",
    "Handel",
    "Reisen",
    "Gastro",
    "Immobilien",
    "Optik",
    "Garten",
];
const FORMS: [&str; 6] = [
    "GmbH",
    "AG",
    "KG",
    "e.K.",
    "UG (haftungsbeschränkt)",
    "GmbH & Co. KG",
];
const CITIES: [(&str, &str, f64, f64); 12] = [
    ("Berlin", "10115", 52.52, 13.405),
    ("Hamburg", "20095", 53.551, 9.993),
    ("München", "80331", 48.137, 11.575),
    ("Köln", "50667", 50.937, 6.96),
    ("Frankfurt am Main", "60311", 50.11, 8.682),
    ("Stuttgart", "70173", 48.775, 9.182),
    ("Düsseldorf", "40213", 51.227, 6.773),
    ("Leipzig", "04109", 51.339, 12.373),
    ("Dresden", "01067", 51.05, 13.737),
    ("Hannover", "30159", 52.375, 9.732),
    ("Nürnberg", "90402", 49.452, 11.077),
    ("Bremen", "28195", 53.079, 8.801),
];
const STREETS: [&str; 10] = [
    "Hauptstraße",
    "Bahnhofstraße",
    "Gartenweg",
    "Schillerstraße",
    "Goethestraße",
    "Lindenallee",
    "Industriestraße",
    "Marktplatz",
    "Am Hafen",
    "Kirchgasse",
];
const FIRST: [&str; 16] = [
    "Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannes", "Ida", "Jonas", "Katrin",
    "Lukas", "Mia", "Noah", "Olga", "Paul",
];
const LAST: [&str; 16] = [
    "Krüger",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Krause",
    "Meier",
    "Lehmann",
    "König",
    "Walter",
];
const POSITIONS: [&str; 6] = [
    "Geschäftsführung",
    "Einkauf",
    "Buchhaltung",
    "Vertrieb",
    "IT",
    "Assistenz",
];
const NOTES: [&str; 6] = [
    "Telefonat: Interesse an **Wartungsvertrag**, Angebot bis Freitag.",
    "Termin vor Ort vereinbart. Ansprechpartnerin bringt die Pläne mit.",
    "Rückruf erbeten wegen offener Fragen zur Lieferung.",
    "Kunde zufrieden mit dem letzten Projekt; Empfehlung an Partnerfirma.",
    "Neue Rechnungsadresse ab nächstem Quartal, siehe E-Mail.",
    "- Preise besprochen\n- Rabatt 3 % bei Jahresabnahme\n- Entscheidung im März",
];

#[derive(FromQueryResult)]
struct MaxId {
    n: Option<i64>,
}

/// Generates `count` customers with about three contacts and three notes each.
pub async fn generate(state: &AppState, count: u64) -> Result<()> {
    let started = Instant::now();
    let db = &state.db;
    company(state).await?;
    let author = *staff::directory_ids(db)
        .await?
        .first()
        .context("no staff member to write the notes")?;
    let backend = db.get_database_backend();
    let offset = MaxId::find_by_statement(Statement::from_string(
        backend,
        "SELECT CAST(MAX(id) AS BIGINT) AS n FROM customers",
    ))
    .one(db)
    .await?
    .and_then(|m| m.n)
    .unwrap_or(0);
    let mut rng = StdRng::seed_from_u64(42 + offset as u64);
    let (mut contacts_total, mut notes_total) = (0usize, 0usize);
    let mut done = 0u64;
    while done < count {
        let size = (count - done).min(BATCH as u64) as usize;
        let mut rows = Vec::with_capacity(size);
        let mut people = Vec::with_capacity(size);
        for i in 0..size {
            let seq = offset as u64 + done + i as u64 + 1;
            let (customer, search, persons) = fake_customer(&mut rng, seq);
            rows.push((customer, search));
            people.push(persons);
        }
        let txn = kernel::db::begin_write(db).await?;
        let ids = customers::seed(&txn, &rows, &state.clock).await?;
        let mut contact_rows = Vec::new();
        let mut note_rows = Vec::new();
        for (id, persons) in ids.iter().zip(people) {
            contacts_total += persons.len();
            contact_rows.extend(persons.into_iter().map(|p| (*id, p)));
            for _ in 0..rng.gen_range(2..=4) {
                let days = rng.gen_range(0..400);
                note_rows.push((
                    customers::entity(*id),
                    NoteData {
                        body: NOTES
                            .choose(&mut rng)
                            .copied()
                            .unwrap_or_default()
                            .to_string(),
                        contacted_at: rng
                            .gen_bool(0.5)
                            .then(|| (state.clock.now() - Duration::days(days)).date_naive()),
                    },
                    author,
                ));
            }
        }
        notes_total += note_rows.len();
        for chunk in contact_rows.chunks(BATCH * 2) {
            contacts::seed(&txn, chunk, &state.clock).await?;
        }
        for chunk in note_rows.chunks(BATCH * 2) {
            notes::seed(&txn, chunk, &state.clock).await?;
        }
        txn.commit().await?;
        done += size as u64;
        if done.is_multiple_of(10_000) || done == count {
            println!("{done} customers ...");
        }
    }
    refresh_statistics(db).await?;
    println!(
        "created {count} customers, {contacts_total} contacts, {notes_total} notes in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The demo's own company, so its invoices can be issued; details someone
/// entered are kept.
pub(super) async fn company(state: &AppState) -> Result<()> {
    if billing_settings::sender(&state.db).await?.gaps().is_empty() {
        return Ok(());
    }
    let details = [
        ("name", "Muster & Partner GmbH"),
        ("street", "Musterweg 12"),
        ("zip", "50667"),
        ("city", "Köln"),
        ("country", "Deutschland"),
        ("tax_number", "214/5678/0123"),
        ("iban", "DE89370400440532013000"),
        ("bic", "COBADEFFXXX"),
    ];
    for (field, value) in details {
        let key = format!("company.{field}");
        if kernel::settings::get(&state.db, &key).await?.is_none() {
            kernel::settings::set(&state.db, &key, value, state.clock.now()).await?;
        }
    }
    Ok(())
}

fn fake_customer(rng: &mut StdRng, seq: u64) -> (CustomerData, String, Vec<ContactData>) {
    let pick = |rng: &mut StdRng, list: &[&'static str]| *list.choose(rng).unwrap_or(&"");
    let company = format!(
        "{} {} {}",
        pick(rng, &PREFIXES),
        pick(rng, &TRADES),
        pick(rng, &FORMS)
    );
    let (city, zip, lat, lng) = *CITIES.choose(rng).unwrap_or(&CITIES[0]);
    let address = Address {
        street: format!("{} {}", pick(rng, &STREETS), rng.gen_range(1..200)),
        zip: zip.to_string(),
        city: city.to_string(),
        state: String::new(),
        country: "DE".to_string(),
    };
    let vat_id = format!("DE{:09}", 100_000_000 + seq);
    let number = format!("{seq:05}");
    let phone = format!(
        "+49 {} {}",
        rng.gen_range(30..999),
        rng.gen_range(100_000..9_999_999)
    );
    let domain = format!("kunde{seq}.example");
    let people: Vec<ContactData> = (0..rng.gen_range(2..=4))
        .map(|i| {
            let (first, last) = (pick(rng, &FIRST), pick(rng, &LAST));
            ContactData {
                first_name: first.to_string(),
                last_name: last.to_string(),
                email: format!(
                    "{}.{}{i}@{domain}",
                    first.to_lowercase(),
                    last.to_lowercase()
                ),
                phone: phone.clone(),
                position: pick(rng, &POSITIONS).to_string(),
                is_primary: i == 0,
                active: true,
                permissions: vec!["invoices".into(), "support".into()],
                notifications: vec!["invoices".into()],
                password: None,
            }
        })
        .collect();
    let own = [
        company.clone(),
        vat_id.clone(),
        number.clone(),
        city.to_string(),
        city.to_string(),
        zip.to_string(),
        phone.clone(),
    ];
    let contact_terms = people
        .iter()
        .flat_map(|p| [format!("{} {}", p.first_name, p.last_name), p.email.clone()]);
    let search = search_text(own.into_iter().chain(contact_terms));
    let data = CustomerData {
        number: Some(number),
        company,
        vat_id,
        phone,
        website: format!("https://www.{domain}"),
        currency: "EUR".into(),
        language: if rng.gen_bool(0.8) {
            Locale::De
        } else {
            Locale::En
        },
        active: rng.gen_bool(0.9),
        groups: Vec::new(),
        address: address.clone(),
        billing: address.clone(),
        shipping_same_as_billing: true,
        shipping: address,
        latitude: Some(lat + rng.gen_range(-0.05..0.05)),
        longitude: Some(lng + rng.gen_range(-0.05..0.05)),
        admin_ids: Vec::new(),
    };
    (data, search, people)
}

/// Fresh planner statistics (and on PostgreSQL the visibility map that
/// autovacuum keeps), so the benchmark measures what a long-running
/// installation would see.
async fn refresh_statistics(db: &sea_orm::DatabaseConnection) -> Result<()> {
    let maintenance = if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        "VACUUM ANALYZE"
    } else {
        "ANALYZE"
    };
    db.execute_unprepared(maintenance).await?;
    Ok(())
}

/// How many files, vault entries and reminders [`attachments`] gives each customer.
pub struct Attachments {
    pub files: usize,
    pub vault: usize,
    pub reminders: usize,
}

const FILE_NAMES: [&str; 8] = [
    "Angebot.pdf",
    "Vertrag unterschrieben.pdf",
    "Logo.png",
    "Lageplan.jpg",
    "Preisliste 2026.xlsx",
    "Protokoll Kickoff.docx",
    "Zugangsdaten.txt",
    "Rechnung Q3.pdf",
];

#[derive(FromQueryResult)]
struct Id {
    id: i64,
}

/// Gives every customer that has no files yet `per` files, vault entries
/// and reminders (rows only: the files' objects are not written).
pub async fn attachments(state: &AppState, per: &Attachments) -> Result<u64> {
    let started = Instant::now();
    let db = &state.db;
    let staff_id = *staff::directory_ids(db)
        .await?
        .first()
        .context("no staff member for the reminders")?;
    let backend = db.get_database_backend();
    let mut after = MaxId::find_by_statement(Statement::from_string(
        backend,
        "SELECT CAST(MAX(customer_id) AS BIGINT) AS n FROM files",
    ))
    .one(db)
    .await?
    .and_then(|m| m.n)
    .unwrap_or(0);
    let mut rng = StdRng::seed_from_u64(7 + after as u64);
    let mut done = 0u64;
    loop {
        let ids = Id::find_by_statement(Statement::from_sql_and_values(
            backend,
            kernel::db::sql(
                backend,
                "SELECT id FROM customers WHERE id > $1 ORDER BY id LIMIT 200",
            ),
            [after.into()],
        ))
        .all(db)
        .await?;
        let Some(last) = ids.last() else { break };
        after = last.id;
        let mut files = Vec::new();
        let mut vault = Vec::new();
        let mut reminders = Vec::new();
        for Id { id } in ids {
            let customer = crate::modules::customers::model::CustomerId(id);
            for n in 0..per.files {
                files.push(crate::modules::files::service::FileSeed {
                    customer,
                    name: FILE_NAMES[n % FILE_NAMES.len()].to_string(),
                    size: rng.gen_range(2_000..4_000_000),
                    visible_to_customer: n % 2 == 0,
                    uploaded_by: "Demo".into(),
                });
            }
            for n in 0..per.vault {
                vault.push((
                    customer,
                    crate::modules::vault::model::EntryData {
                        server: format!("srv{n}.kunde{id}.example"),
                        port: Some([22, 21, 443, 3306, 5432][n % 5]),
                        username: format!("admin{n}"),
                        password: Some(format!("Demo-{id}-{n}-{}", rng.r#gen::<u32>())),
                        description: "Demo".into(),
                        visibility: if n % 3 == 0 {
                            crate::modules::vault::model::Visibility::Admins
                        } else {
                            crate::modules::vault::model::Visibility::All
                        },
                        shared_with_contacts: n % 2 == 0,
                    },
                ));
            }
            for n in 0..per.reminders {
                reminders.push((
                    customer,
                    crate::modules::reminders::model::ReminderData {
                        remind_at: state.clock.now() + Duration::hours(rng.gen_range(1..24 * 365)),
                        description: NOTES[n % NOTES.len()].to_string(),
                        staff_id,
                        notify_by_email: n % 2 == 0,
                    },
                ));
            }
            done += 1;
        }
        let txn = kernel::db::begin_write(db).await?;
        for chunk in files.chunks(BATCH * 2) {
            crate::modules::files::service::seed(&txn, chunk, &state.clock).await?;
        }
        for chunk in vault.chunks(BATCH) {
            crate::modules::vault::service::seed(
                &txn,
                &state.vault_key,
                chunk.to_vec(),
                "Demo",
                &state.clock,
            )
            .await?;
        }
        for chunk in reminders.chunks(BATCH) {
            crate::modules::reminders::service::seed(&txn, chunk, staff_id, &state.clock).await?;
        }
        txn.commit().await?;
        if done.is_multiple_of(10_000) {
            println!("{done} customers with files, vault entries and reminders ...");
        }
    }
    if done > 0 {
        refresh_statistics(db).await?;
        println!(
            "gave {done} customers {} files, {} vault entries and {} reminders each in {:.1} s",
            per.files,
            per.vault,
            per.reminders,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(done)
}
