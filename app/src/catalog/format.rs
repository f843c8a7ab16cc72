//! The content formats Sentinela parses: what a configured source is read
//! as, and what the catalogue says feeds each gold table.

use serde::{Deserialize, Serialize};

/// A format, as sources name it (`format = "wcota-states"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// covid19br (W. Cota) `cases-brazil-states.csv`: daily series per state.
    WcotaStates,
    /// covid19br `cases-brazil-cities-time.csv(.gz)`: daily series per city.
    WcotaCitiesTime,
    /// covid19br `cases-brazil-cities.csv`: each city's totals on one date
    /// (one file per date), filling the same silver as the daily series.
    WcotaCities,
    /// Brasil.IO's `caso` table (`caso.csv.gz`): an alternative to the
    /// covid19br formats, filling the same silver tables.
    BrasilioCaso,
    /// The Ministry's `leito_ocupacao` search API (JSON hits).
    OccupancyApi,
    /// Saved snapshots of that API as CSV (optionally gzipped), with `ts_run`.
    OccupancySnapshot,
    /// The occupancy register as OpenDataSUS publishes it
    /// (`esus-vepi.LeitoOcupacao_<year>.csv`): suspected and confirmed
    /// patients and their exits, no beds offered.
    OccupancyOpendatasus,
    /// SIVEP-Gripe summary (covid19br/sumario_SIVEP), `sum_dados_*.csv.xz`.
    SivepSummary,
    /// The same summaries as published week after week, every vintage kept:
    /// the reporting triangle.
    SivepVintages,
    /// Estimated population per municipality (Brasil.IO CSV, IBGE estimates).
    Population,
    /// IBGE's list of municipalities: its localities API (JSON) or the
    /// `municipios.csv` list.
    IbgeMunicipalities,
    /// State boundaries as GeoJSON (the map).
    StatesGeojson,
    /// Municipality boundaries as GeoJSON (the city maps): one file per
    /// state or one for the country.
    MunicipalitiesGeojson,
}
