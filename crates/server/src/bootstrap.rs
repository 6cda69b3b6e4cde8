//! What a first start puts in place: the bundled default database, the example
//! products, and with `--demo` a demo enterprise, certification body and registry
//! operator with the examples computed and disclosed.

use zuji_formats::product_model::{ModelFormat, parse_product_model, to_json};
use zuji_store::{NewDatabaseVersion, NewModelVersion, OrgKind, Role, Store, StoreError, Viewer};

/// The example models shipped with Zuji (`examples/` in the repository).
pub const EXAMPLES: [(&str, &str); 5] = [
    (
        "lfp-battery-pack.toml",
        include_str!("../../../examples/lfp-battery-pack.toml"),
    ),
    (
        "pv-module.toml",
        include_str!("../../../examples/pv-module.toml"),
    ),
    (
        "cotton-tshirt.toml",
        include_str!("../../../examples/cotton-tshirt.toml"),
    ),
    (
        "hot-rolled-steel-coil.toml",
        include_str!("../../../examples/hot-rolled-steel-coil.toml"),
    ),
    (
        "aluminium-extrusion.toml",
        include_str!("../../../examples/aluminium-extrusion.toml"),
    ),
];

/// The organisation that owns the example products on a fresh platform.
pub const EXAMPLES_ORG: &str = "Zuji examples";

/// Stores the bundled default database unless this version of it is already stored.
/// Returns whether it was added.
pub async fn ensure_default_database(store: &Store) -> Result<bool, StoreError> {
    let db = zuji_formats::default_db::default_database().map_err(|e| StoreError::Invalid {
        field: "zuji-default".into(),
        problem: e.to_string(),
    })?;
    let stored = store.list_database_versions(Some("zuji-default")).await?;
    if stored.iter().any(|v| v.version == db.meta.version) {
        return Ok(false);
    }
    // Two processes starting at once on one PostgreSQL both get here; one wins.
    let added = store
        .add_database_version(
            &Viewer::System,
            NewDatabaseVersion {
                name: "zuji-default",
                db: &db,
                source_format: "tabular",
                warnings: vec![],
            },
            None,
        )
        .await;
    match added {
        Ok(_) => Ok(true),
        Err(StoreError::Conflict { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Loads the example products into `org` unless it has products already; returns the
/// ids of the products it created. Call it for an organisation this process just
/// created ([`ensure_org`]), so concurrent starts load the examples once.
pub async fn load_examples(store: &Store, org_id: i64) -> Result<Vec<i64>, StoreError> {
    let acting = Viewer::Member {
        org_id,
        org_kind: OrgKind::Enterprise,
        user_id: None,
        scopes: vec![zuji_store::Scope::Read, zuji_store::Scope::Write],
    };
    let existing = store
        .list_products(
            &acting,
            &zuji_store::ProductFilter {
                org_id: Some(org_id),
                ..Default::default()
            },
            zuji_store::PageRequest::new(0, 100),
        )
        .await?;
    if existing.total > 0 {
        return Ok(Vec::new());
    }
    let mut ids = Vec::new();
    for (file, text) in EXAMPLES {
        let loaded = parse_product_model(text, ModelFormat::Toml, file).map_err(|e| {
            StoreError::Invalid {
                field: file.into(),
                problem: e.to_string(),
            }
        })?;
        let info = &loaded.model.product;
        let (p, _) = store
            .create_product(
                &acting,
                info.name.display(),
                &info.category,
                info.gtin.as_deref(),
                NewModelVersion {
                    model_json: to_json(&loaded.model),
                    source_format: "toml".into(),
                    note: format!("example {file}"),
                },
            )
            .await?;
        ids.push(p.id);
    }
    Ok(ids)
}

/// Finds or creates an organisation; says whether this call created it (of several
/// processes starting at once, exactly one does).
pub async fn ensure_org(
    store: &Store,
    name: &str,
    kind: OrgKind,
) -> Result<(i64, bool), StoreError> {
    match store.org_by_name(name).await {
        Ok(o) => Ok((o.id, false)),
        Err(StoreError::NotFound { .. }) => {
            match store.create_org(&Viewer::System, name, kind).await {
                Ok(o) => Ok((o.id, true)),
                Err(StoreError::Conflict { .. }) => Ok((store.org_by_name(name).await?.id, false)),
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// A demo login printed at start.
pub struct DemoLogin {
    pub org: String,
    pub email: String,
    pub password: String,
}

/// Creates (or refreshes) the demo organisations and users, with new random passwords,
/// loads the examples into the demo enterprise, queues their calculations and discloses
/// them. Returns the logins.
pub async fn create_demo(store: &Store) -> Result<Vec<DemoLogin>, StoreError> {
    let orgs = [
        (
            "Demo Enterprise 示范企业",
            OrgKind::Enterprise,
            "enterprise@demo.zuji.example",
        ),
        (
            "Demo Certification Body 示范认证机构",
            OrgKind::Certifier,
            "certifier@demo.zuji.example",
        ),
        (
            "Demo Registry Operator 示范登记机构",
            OrgKind::Registry,
            "registry@demo.zuji.example",
        ),
    ];
    let mut logins = Vec::new();
    let mut enterprise = 0;
    let mut enterprise_created = false;
    for (name, kind, email) in orgs {
        let (org_id, created) = ensure_org(store, name, kind).await?;
        if kind == OrgKind::Enterprise {
            enterprise = org_id;
            enterprise_created = created;
        }
        let password = zuji_store::random_password()?;
        store
            .upsert_user_password(&Viewer::System, email, org_id, Role::Admin, &password)
            .await?;
        logins.push(DemoLogin {
            org: name.into(),
            email: email.into(),
            password,
        });
    }
    if !enterprise_created {
        return Ok(logins);
    }
    let ids = load_examples(store, enterprise).await?;
    let acting = Viewer::Member {
        org_id: enterprise,
        org_kind: OrgKind::Enterprise,
        user_id: None,
        scopes: vec![zuji_store::Scope::Read, zuji_store::Scope::Write],
    };
    for id in ids {
        let p = store.get_product(&acting, id).await?;
        if p.disclosed == 0 {
            store
                .start_footprint(
                    &acting,
                    id,
                    None,
                    serde_json::json!({"gwp": "ar6", "monte_carlo": 0, "seed": 42}),
                )
                .await?;
            store.set_disclosed(&acting, id, true).await?;
        }
    }
    Ok(logins)
}
