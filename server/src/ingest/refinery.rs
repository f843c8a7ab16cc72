//! How each format is refined, in one place: the pipeline's one match on
//! [`Format`], giving the [`Refine`] of its silver. A new format is its
//! parser, its silver step and one arm here.

use app::catalog::Format;
use async_trait::async_trait;
use serde::{Serialize, de::DeserializeOwned};

use crate::ingest::{
    Refined,
    bronze::formats::Parser,
    bronze::formats::{
        occupancy_api,
        occupancy_opendatasus::{self, PatientReport},
        occupancy_snapshot::{self, Notification},
    },
    connect::manifest::Manifest,
    gold::brasilio,
    gold::cases,
    gold::cities,
    gold::geometry,
    gold::srag,
    silver::edition::Edition,
    silver::municipalities,
    silver::population,
    silver::reports::{self, Report},
    silver::vintages,
};
use crate::lake::Lake;

/// A format's bronze → silver step.
#[async_trait]
pub trait Refine: Sync {
    /// Parses a fetch into bronze and conforms it into staged silver.
    async fn refine(&self, lake: &dyn Lake, manifest: &Manifest) -> anyhow::Result<Refined>;
    /// Whether `source`'s silver is in the lake.
    async fn has_silver(&self, lake: &dyn Lake, source: &str) -> anyhow::Result<bool>;
}

#[async_trait]
impl<T: Serialize + DeserializeOwned + Send + 'static> Refine for Edition<T> {
    async fn refine(&self, lake: &dyn Lake, manifest: &Manifest) -> anyhow::Result<Refined> {
        Edition::refine(self, lake, manifest).await
    }

    async fn has_silver(&self, lake: &dyn Lake, _: &str) -> anyhow::Result<bool> {
        Edition::has_silver(self, lake).await
    }
}

/// Hospital reports parsed by one parser: silver holds every report the
/// source ever delivered.
struct Reports<T>(Parser<T>);

#[async_trait]
impl<T: Report> Refine for Reports<T> {
    async fn refine(&self, lake: &dyn Lake, manifest: &Manifest) -> anyhow::Result<Refined> {
        reports::refine(lake, manifest, self.0).await
    }

    async fn has_silver(&self, lake: &dyn Lake, source: &str) -> anyhow::Result<bool> {
        reports::has_silver::<T>(lake, source).await
    }
}

/// The refinement of `format`.
pub fn of(format: Format) -> &'static dyn Refine {
    const SNAPSHOTS: Reports<Notification> = Reports(occupancy_snapshot::parse);
    const API: Reports<Notification> = Reports(occupancy_api::parse);
    const REGISTER: Reports<PatientReport> = Reports(occupancy_opendatasus::parse);
    match format {
        Format::WcotaStates => &cases::EDITION,
        Format::WcotaCitiesTime => &cities::EDITION,
        Format::WcotaCities => &cities::SNAPSHOTS,
        Format::BrasilioCaso => &brasilio::Caso,
        Format::Population => &population::EDITION,
        Format::OccupancySnapshot => &SNAPSHOTS,
        Format::OccupancyApi => &API,
        Format::OccupancyOpendatasus => &REGISTER,
        Format::SivepSummary => &srag::Summary,
        Format::SivepVintages => &vintages::Vintages,
        Format::IbgeMunicipalities => &municipalities::EDITION,
        Format::StatesGeojson => &geometry::STATES,
        Format::MunicipalitiesGeojson => &geometry::CITIES,
    }
}
