//! `zuji admin`: bootstrap and operate the platform from the command line —
//! organisations, users, API clients, migrations, backups, and recalculation after a
//! background database update.

use crate::platform::{StoreArgs, runtime};
use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use zuji_store::{OrgKind, Role, Scope, Viewer};

#[derive(Args, Debug)]
pub struct AdminArgs {
    #[command(subcommand)]
    pub command: AdminCommand,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    Enterprise,
    Certifier,
    Registry,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Editor,
    Viewer,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ScopeArg {
    Read,
    Write,
    Admin,
    Pact,
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create an organisation.
    CreateOrg {
        name: String,
        #[arg(long, value_enum)]
        kind: KindArg,
    },
    /// Create a user (password prompted, or read from stdin when not a terminal).
    CreateUser {
        email: String,
        #[arg(long)]
        org: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// Create an API client for a program; prints its id and secret once.
    CreateApiClient {
        #[arg(long)]
        org: String,
        #[arg(long, default_value = "api client")]
        name: String,
        /// Scopes (repeatable); default read.
        #[arg(long = "scope", value_enum)]
        scopes: Vec<ScopeArg>,
        /// A PACT partner's client (scope pact).
        #[arg(long)]
        pact: bool,
    },
    /// Revoke an API client and every token it holds.
    RevokeApiClient {
        client_id: String,
        #[arg(long)]
        org: String,
    },
    /// Publish a product's latest computed footprint to PACT partners (v3, and v2.3 when
    /// v2.3 can express it). PACT requires two values Zuji does not compute: give them.
    PactPublish {
        #[arg(long)]
        org: String,
        /// The product's id in the platform.
        #[arg(long)]
        product: i64,
        /// kg C of fossil origin per declared unit (PACT fossilCarbonContent).
        #[arg(long)]
        fossil_carbon_content: f64,
        /// Percent of emissions cut off (PACT exemptedEmissionsPercent).
        #[arg(long)]
        exempted_emissions_percent: f64,
        #[arg(long, default_value = "")]
        exempted_emissions_description: String,
        /// kg C of biogenic origin per declared unit (needed for v2.3).
        #[arg(long)]
        biogenic_carbon_content: Option<f64>,
        /// Whether packaging is included (needed for v2.3).
        #[arg(long)]
        packaging_emissions_included: Option<bool>,
        /// kg per declared unit when the unit is not a mass, energy, transport or time.
        #[arg(long)]
        product_mass_per_declared_unit: Option<f64>,
        /// UN CPC code (v2.3 productCategoryCpc; a v3 classification URN).
        #[arg(long)]
        cpc: Option<String>,
        /// Company URNs (repeatable); default urn:pact:zuji:company:<org id>.
        #[arg(long = "company-id")]
        company_ids: Vec<String>,
        /// Product URNs (repeatable); default urn:gtin:<GTIN>.
        #[arg(long = "product-id")]
        product_ids: Vec<String>,
        /// Share with every PACT partner of the organisation.
        #[arg(long)]
        all_partners: bool,
        /// Share with this PACT API client (`zc_…`; repeatable).
        #[arg(long = "share-with")]
        share_with: Vec<String>,
    },
    /// Register a PACT partner: where it is, the credentials it issued to this
    /// organisation (the secret is read from standard input), and which of this
    /// organisation's PACT API clients it uses.
    PactPartner {
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        base_url: String,
        /// The client id the partner issued (its secret is read from standard input).
        #[arg(long)]
        client_id: Option<String>,
        /// Our PACT API client (`zc_…`) that the partner calls us with.
        #[arg(long)]
        inbound_client: Option<String>,
        /// PACT version the partner speaks: 3 or 2.
        #[arg(long, default_value = "3")]
        spec: String,
    },
    /// Sign a tree head over the transparency log as it stands, with the registry
    /// operator's key (made on first use), encrypted under the configured signing
    /// passphrase. `zuji serve` signs one every few seconds while the log grows; this
    /// is for a store no server is running on.
    LogSignHead {
        /// The registry operator organisation.
        #[arg(long)]
        org: String,
    },
    /// List footprints computed with a database version a newer one has replaced.
    Stale,
    /// Queue recalculation of every stale footprint.
    Recalculate,
    /// Load a benchmark data set: N disclosed copies of the steel-bracket worked
    /// example in an organisation "Benchmark Co" (for load tests with wrk).
    SeedBenchmark {
        #[arg(long, default_value_t = 100_000)]
        products: usize,
    },
}

pub fn run(args: &AdminArgs) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        let store = args.store.open().await?;
        let system = Viewer::System;
        match &args.command {
            AdminCommand::CreateOrg { name, kind } => {
                let kind = match kind {
                    KindArg::Enterprise => OrgKind::Enterprise,
                    KindArg::Certifier => OrgKind::Certifier,
                    KindArg::Registry => OrgKind::Registry,
                };
                let org = store.create_org(&system, name, kind).await?;
                println!("created organisation {} ({}, id {})", org.name, org.kind.as_str(), org.id);
            }
            AdminCommand::CreateUser { email, org, role } => {
                let org = store.org_by_name(org).await.with_context(|| format!("no organisation named '{org}'"))?;
                let role = match role {
                    RoleArg::Admin => Role::Admin,
                    RoleArg::Editor => Role::Editor,
                    RoleArg::Viewer => Role::Viewer,
                };
                let password = read_password()?;
                let user = store.create_user(&system, email, org.id, role, &password).await?;
                println!("created user {} ({} of {})", user.email, user.role.as_str(), org.name);
            }
            AdminCommand::CreateApiClient { org, name, scopes, pact } => {
                let org = store.org_by_name(org).await.with_context(|| format!("no organisation named '{org}'"))?;
                let mut scopes: Vec<Scope> = scopes
                    .iter()
                    .map(|s| match s {
                        ScopeArg::Read => Scope::Read,
                        ScopeArg::Write => Scope::Write,
                        ScopeArg::Admin => Scope::Admin,
                        ScopeArg::Pact => Scope::Pact,
                    })
                    .collect();
                if *pact && !scopes.contains(&Scope::Pact) {
                    scopes.push(Scope::Pact);
                }
                if scopes.is_empty() {
                    scopes.push(Scope::Read);
                }
                let issued = store.create_api_client(&system, org.id, name, &scopes, *pact).await?;
                println!("client_id:     {}", issued.client.client_id);
                println!("client_secret: {}", issued.secret);
                println!("(the secret is shown once; only its hash is stored)");
            }
            AdminCommand::PactPublish {
                org,
                product,
                fossil_carbon_content,
                exempted_emissions_percent,
                exempted_emissions_description,
                biogenic_carbon_content,
                packaging_emissions_included,
                product_mass_per_declared_unit,
                cpc,
                company_ids,
                product_ids,
                all_partners,
                share_with,
            } => {
                let org = store.org_by_name(org).await.with_context(|| format!("no organisation named '{org}'"))?;
                let acting = Viewer::Member {
                    org_id: org.id,
                    org_kind: org.kind,
                    user_id: None,
                    scopes: vec![Scope::Read, Scope::Write, Scope::Admin],
                };
                let latest = store
                    .list_footprints(&acting, *product, zuji_store::PageRequest::new(0, 1))
                    .await
                    .with_context(|| format!("product {product}"))?
                    .items
                    .into_iter()
                    .next()
                    .with_context(|| format!("product {product} has no computed footprint yet"))?;
                let clients = store.list_api_clients(&acting, org.id).await?;
                let mut share_ids = Vec::new();
                for c in share_with {
                    let found = clients
                        .iter()
                        .find(|k| &k.client_id == c)
                        .with_context(|| format!("'{c}' is not an API client of {}", org.name))?;
                    share_ids.push(found.id);
                }
                let req = zuji_server::pact::workspace::PublishRequest {
                    footprint_id: latest.id,
                    company_ids: company_ids.clone(),
                    product_ids: product_ids.clone(),
                    fossil_carbon_content: *fossil_carbon_content,
                    biogenic_carbon_content: *biogenic_carbon_content,
                    product_mass_per_declared_unit: *product_mass_per_declared_unit,
                    exempted_emissions_percent: *exempted_emissions_percent,
                    exempted_emissions_description: exempted_emissions_description.clone(),
                    packaging_emissions_included: *packaging_emissions_included,
                    product_category_cpc: cpc.clone(),
                    shared_with_all: *all_partners,
                    share_with: share_ids,
                    ..Default::default()
                };
                let published = zuji_server::pact::workspace::publish_footprint(&store, &acting, &req)
                    .await
                    .context("publishing to PACT")?;
                println!("PACT id: {}", published.footprint.pf_id);
                println!("footprint {} of product {product}", latest.id);
                if let Some(why) = published.v2_unavailable {
                    println!("not available in PACT v2.3: {why}");
                }
            }
            AdminCommand::PactPartner {
                org,
                name,
                base_url,
                client_id,
                inbound_client,
                spec,
            } => {
                let org = store.org_by_name(org).await.with_context(|| format!("no organisation named '{org}'"))?;
                let acting = Viewer::Member {
                    org_id: org.id,
                    org_kind: org.kind,
                    user_id: None,
                    scopes: vec![Scope::Read, Scope::Write, Scope::Admin],
                };
                let secret = match client_id {
                    Some(_) => {
                        let mut line = String::new();
                        std::io::stdin()
                            .read_line(&mut line)
                            .context("reading the partner's client secret from standard input")?;
                        let line = line.trim().to_string();
                        anyhow::ensure!(!line.is_empty(), "give the partner's client secret on standard input");
                        Some(line)
                    }
                    None => None,
                };
                let p = store
                    .add_pact_partner(
                        &acting,
                        &zuji_store::NewPactPartner {
                            name: name.clone(),
                            base_url: base_url.clone(),
                            remote_client_id: client_id.clone(),
                            remote_client_secret: secret,
                            inbound_client_id: inbound_client.clone(),
                            spec_version: spec.clone(),
                        },
                    )
                    .await?;
                println!("partner {} registered: {} (PACT v{})", p.id, p.base_url, p.spec_version);
            }
            AdminCommand::LogSignHead { org } => {
                let org = store.org_by_name(org).await.with_context(|| format!("no organisation named '{org}'"))?;
                anyhow::ensure!(
                    org.kind == OrgKind::Registry,
                    "'{}' is not a registry operator; only the registry signs the log",
                    org.name
                );
                let pass = args.store.signing_passphrase()?.context(
                    "no signing passphrase is configured: set ZUJI_SIGNING_PASSPHRASE, --signing-passphrase-file, or DATA_DIR/keys/signing-passphrase",
                )?;
                let pass = pass.as_str();
                let key = store.ensure_signing_key(org.id, pass).await.context("the registry key")?;
                let head = store.publish_tree_head(pass).await.context("signing the tree head")?;
                println!("signed tree head: size {} root {} (key {})", head.tree_size, head.root_hash, key.key_id.as_str());
            }
            AdminCommand::Stale => {
                let stale = store.stale_footprints(&system).await?;
                if stale.is_empty() {
                    println!("every stored footprint uses the current database versions");
                }
                // What recalculation would change: each model version computed again with
                // the current databases, nothing stored.
                for f in stale {
                    let options: serde_json::Value = store
                        .get_footprint(&system, f.footprint_id)
                        .await
                        .map(|r| r.options)
                        .unwrap_or_default();
                    let preview = zuji_server::worker::compute_model_version(&store, f.model_version_id, &options, None).await;
                    let change = match preview {
                        Ok((r, _)) => format!(
                            "→ {:.6} ({:+.6}, {:+.2} %)",
                            r.total,
                            r.total - f.total,
                            if f.total != 0.0 { (r.total - f.total) / f.total.abs() * 100.0 } else { 0.0 }
                        ),
                        Err(e) => format!("→ cannot recalculate: {e}"),
                    };
                    println!(
                        "footprint {:>6}  product {:>6} {:<40} {:>14.6} kg CO2e {change}  (old database version {})",
                        f.footprint_id, f.product_id, f.product_name, f.total, f.old_database_version_id
                    );
                }
            }
            AdminCommand::RevokeApiClient { client_id, org } => {
                let org = store.org_by_name(org).await.with_context(|| format!("no organisation named '{org}'"))?;
                store.revoke_api_client(&system, org.id, client_id).await?;
                println!("revoked {client_id} and its tokens");
            }
            AdminCommand::SeedBenchmark { products } => seed_benchmark(&store, *products).await?,
            AdminCommand::Recalculate => {
                let jobs = store.recalculate_stale(&system).await?;
                println!("queued {} recalculation job(s); `zuji serve` or `zuji worker` runs them", jobs.len());
            }
        }
        store.close().await;
        anyhow::Ok(())
    })
}

async fn seed_benchmark(store: &zuji_store::Store, n: usize) -> anyhow::Result<()> {
    const MODEL: &str = include_str!("../../../examples/steel-bracket-worked-example.toml");
    let loaded = zuji_formats::product_model::parse_product_model(
        MODEL,
        zuji_formats::product_model::ModelFormat::Toml,
        "steel-bracket-worked-example.toml",
    )?;
    let json = zuji_formats::product_model::to_json(&loaded.model);
    zuji_server::bootstrap::ensure_default_database(store).await?;
    let (org, _) =
        zuji_server::bootstrap::ensure_org(store, "Benchmark Co", OrgKind::Enterprise).await?;
    let acting = Viewer::Member {
        org_id: org,
        org_kind: OrgKind::Enterprise,
        user_id: None,
        scopes: vec![Scope::Read, Scope::Write],
    };
    let started = std::time::Instant::now();
    let mut first = None;
    for i in 0..n {
        let (p, _) = store
            .create_product(
                &acting,
                &format!("Benchmark bracket {i:06}"),
                "metal-part",
                None,
                zuji_store::NewModelVersion {
                    model_json: json.clone(),
                    source_format: "toml".into(),
                    note: "benchmark".into(),
                },
            )
            .await?;
        store.set_disclosed(&acting, p.id, true).await?;
        first.get_or_insert(p.id);
        if (i + 1) % 10_000 == 0 {
            eprintln!(
                "{} products in {:.1} s",
                i + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    if let Some(id) = first {
        // One real calculation, so a footprint read can be measured.
        store
            .start_footprint(&acting, id, None, serde_json::json!({"gwp": "ar6"}))
            .await?;
        while zuji_server::worker::run_next(store, "seed").await? {}
        let f = store
            .list_footprints(&acting, id, zuji_store::PageRequest::new(0, 1))
            .await?;
        match f.items.first() {
            Some(f) => println!("footprint {} of product {id}: {} kg CO2e", f.id, f.total),
            None => bail!(
                "the benchmark footprint could not be computed (see `zuji admin stale` and the job list)"
            ),
        }
    }
    println!(
        "seeded {n} products in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("password (at least 10 characters, shown as typed): ");
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the password from stdin")?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        bail!("no password given on stdin");
    }
    Ok(password)
}

#[derive(Args, Debug)]
pub struct BackupArgs {
    /// The new file to write (never overwritten).
    pub file: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// `zuji backup FILE`: a consistent copy of the SQLite store, safe while it runs.
pub fn backup(args: &BackupArgs) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        let store = args.store.open().await?;
        store.backup_sqlite(&args.file).await?;
        store.close().await;
        println!(
            "wrote a consistent copy of the store to {}",
            args.file.display()
        );
        anyhow::Ok(())
    })
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// A file written by `zuji backup`.
    pub file: PathBuf,
    /// Replace an existing store (stop the server first).
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// `zuji restore FILE`.
pub fn restore(args: &RestoreArgs) -> anyhow::Result<()> {
    restore_file(&args.store, &args.file, args.force)
}

/// `zuji db migrate`: applies pending migrations.
pub fn migrate(args: &StoreArgs) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        let store = zuji_store::Store::connect(&args.url()?).await?;
        let n = store.migrate().await?;
        store.close().await;
        println!("applied {n} migration(s); the store is up to date");
        anyhow::Ok(())
    })
}

fn restore_file(args: &StoreArgs, file: &std::path::Path, force: bool) -> anyhow::Result<()> {
    if args
        .database
        .as_deref()
        .is_some_and(|d| !d.starts_with("sqlite:"))
    {
        bail!("restore replaces a SQLite file; restore PostgreSQL with pg_restore or psql");
    }
    let target = match &args.database {
        Some(url) => PathBuf::from(
            url.trim_start_matches("sqlite:")
                .split('?')
                .next()
                .unwrap_or_default(),
        ),
        None => args.data_dir.join("zuji.sqlite"),
    };
    if target.exists() && !force {
        bail!(
            "{} exists; stop the server and pass --force to replace it",
            target.display()
        );
    }
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // Copy beside the target, open the copy as a store (which checks it and applies any
    // newer migrations), and only then rename it over the live file.
    let scratch = target.with_extension("sqlite.restoring");
    std::fs::copy(file, &scratch).with_context(|| format!("copying {}", file.display()))?;
    let checked = runtime()?.block_on(async {
        let s = zuji_store::Store::open(&format!("sqlite:{}", scratch.display())).await?;
        s.ping().await?;
        s.close().await;
        anyhow::Ok(())
    });
    if let Err(e) = checked {
        let _ = std::fs::remove_file(&scratch);
        bail!("{} is not a readable Zuji store: {e:#}", file.display());
    }
    for ext in ["sqlite-wal", "sqlite-shm"] {
        let _ = std::fs::remove_file(target.with_extension(ext));
    }
    std::fs::rename(&scratch, &target)
        .with_context(|| format!("replacing {}", target.display()))?;
    println!("restored {} from {}", target.display(), file.display());
    Ok(())
}
