//! What a gold table's staging takes a batch at a time: its rows as
//! structs, or, for a table read back from its Parquet file, the Arrow
//! batches themselves, written out column by column without a row struct
//! (tens of millions of hospital rows would otherwise each allocate their
//! strings and parse their dates once more).

use std::{io::Write as _, ops::Range};

use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
};
use arrow_schema::DataType;

use super::{StoreError, gold::SqlValue, tables::Table};

/// A batch of `T`'s rows as the store loads them: as CSV records for
/// PostgreSQL's `COPY`, or as values in column order for SQLite's INSERTs.
pub trait RowBatch<T: Table> {
    /// How many rows it holds.
    fn rows(&self) -> usize;
    /// Rows `rows`, as CSV records (`NULL` as `\N`).
    fn write_csv(
        &self,
        rows: Range<usize>,
        out: &mut csv::Writer<Vec<u8>>,
    ) -> Result<(), StoreError>;
    /// Rows `rows`' values, one row after the other in `T::COLUMNS` order.
    fn values(&self, rows: Range<usize>) -> Result<Vec<SqlValue>, StoreError>;
}

impl<T: Table, B: AsRef<[T::Row]>> RowBatch<T> for B {
    fn rows(&self) -> usize {
        self.as_ref().len()
    }

    fn write_csv(
        &self,
        rows: Range<usize>,
        out: &mut csv::Writer<Vec<u8>>,
    ) -> Result<(), StoreError> {
        for row in &self.as_ref()[rows] {
            let fields = T::values(row).into_iter().map(|value| match value {
                SqlValue::Text(text) => text,
                SqlValue::Int(int) => int.to_string(),
                SqlValue::Float(float) => float.to_string(),
                SqlValue::Null => NULL.to_owned(),
            });
            out.write_record(fields).map_err(csv_error)?;
        }
        Ok(())
    }

    fn values(&self, rows: Range<usize>) -> Result<Vec<SqlValue>, StoreError> {
        Ok(self.as_ref()[rows].iter().flat_map(T::values).collect())
    }
}

/// The COPY's NULL marker; an empty field stays an empty string.
const NULL: &str = r"\N";

fn csv_error(error: csv::Error) -> StoreError {
    StoreError::Rows(Box::new(error))
}

/// An Arrow batch whose columns are named as the table's: text, 64-bit
/// integers and floats, flags (kept as 0 or 1) and days (kept as ISO 8601
/// text).
pub struct ArrowRows(pub RecordBatch);

/// A column of an [`ArrowRows`], by the type it is stored as.
enum ArrowColumn<'a> {
    Text(&'a StringArray),
    Int(&'a Int64Array),
    Float(&'a Float64Array),
    Flag(&'a BooleanArray),
    Day(&'a Date32Array),
}

impl ArrowRows {
    /// The batch's columns in `columns`' order.
    fn columns(&self, columns: &[&str]) -> Result<Vec<ArrowColumn<'_>>, StoreError> {
        columns
            .iter()
            .map(|&name| {
                let array = self
                    .0
                    .column_by_name(name)
                    .ok_or_else(|| rows_error(format!("the batch has no column {name}")))?;
                ArrowColumn::of(name, array)
            })
            .collect()
    }
}

fn rows_error(message: String) -> StoreError {
    StoreError::Rows(message.into())
}

impl<'a> ArrowColumn<'a> {
    fn of(name: &str, array: &'a ArrayRef) -> Result<Self, StoreError> {
        let any = array.as_any();
        let column = match array.data_type() {
            DataType::Utf8 => any.downcast_ref().map(ArrowColumn::Text),
            DataType::Int64 => any.downcast_ref().map(ArrowColumn::Int),
            DataType::Float64 => any.downcast_ref().map(ArrowColumn::Float),
            DataType::Boolean => any.downcast_ref().map(ArrowColumn::Flag),
            DataType::Date32 => any.downcast_ref().map(ArrowColumn::Day),
            _ => None,
        };
        column.ok_or_else(|| {
            rows_error(format!(
                "column {name} is {}, which the store does not take",
                array.data_type()
            ))
        })
    }

    fn is_null(&self, row: usize) -> bool {
        match self {
            ArrowColumn::Text(array) => array.is_null(row),
            ArrowColumn::Int(array) => array.is_null(row),
            ArrowColumn::Float(array) => array.is_null(row),
            ArrowColumn::Flag(array) => array.is_null(row),
            ArrowColumn::Day(array) => array.is_null(row),
        }
    }

    /// Row `row`'s value (not null).
    fn value(&self, row: usize) -> Result<SqlValue, StoreError> {
        Ok(match self {
            ArrowColumn::Text(array) => SqlValue::Text(array.value(row).to_owned()),
            ArrowColumn::Int(array) => SqlValue::Int(array.value(row)),
            ArrowColumn::Float(array) => SqlValue::Float(array.value(row)),
            ArrowColumn::Flag(array) => SqlValue::Int(i64::from(array.value(row))),
            ArrowColumn::Day(array) => SqlValue::Text(day(array, row)?.to_string()),
        })
    }

    /// Writes row `row`'s value (not null) as a CSV field, through
    /// `scratch` for what is formatted.
    fn write_csv(
        &self,
        row: usize,
        scratch: &mut Vec<u8>,
        out: &mut csv::Writer<Vec<u8>>,
    ) -> Result<(), StoreError> {
        scratch.clear();
        let formatted = match self {
            ArrowColumn::Text(array) => {
                return out.write_field(array.value(row)).map_err(csv_error);
            }
            ArrowColumn::Int(array) => write!(scratch, "{}", array.value(row)),
            ArrowColumn::Float(array) => write!(scratch, "{}", array.value(row)),
            ArrowColumn::Flag(array) => write!(scratch, "{}", u8::from(array.value(row))),
            ArrowColumn::Day(array) => write!(scratch, "{}", day(array, row)?),
        };
        formatted.map_err(|error| StoreError::Rows(Box::new(error)))?;
        out.write_field(&scratch).map_err(csv_error)
    }
}

/// Row `row`'s day (not null).
fn day(array: &Date32Array, row: usize) -> Result<chrono::NaiveDate, StoreError> {
    array
        .value_as_date(row)
        .ok_or_else(|| rows_error(format!("day {} is out of range", array.value(row))))
}

impl<T: Table> RowBatch<T> for ArrowRows {
    fn rows(&self) -> usize {
        self.0.num_rows()
    }

    fn write_csv(
        &self,
        rows: Range<usize>,
        out: &mut csv::Writer<Vec<u8>>,
    ) -> Result<(), StoreError> {
        let columns = self.columns(T::COLUMNS)?;
        let mut scratch = Vec::new();
        for row in rows {
            for column in &columns {
                match column.is_null(row) {
                    true => out.write_field(NULL).map_err(csv_error)?,
                    false => column.write_csv(row, &mut scratch, out)?,
                }
            }
            out.write_record(None::<&[u8]>).map_err(csv_error)?;
        }
        Ok(())
    }

    fn values(&self, rows: Range<usize>) -> Result<Vec<SqlValue>, StoreError> {
        let columns = self.columns(T::COLUMNS)?;
        let mut values = Vec::with_capacity(rows.len() * columns.len());
        for row in rows {
            for column in &columns {
                values.push(match column.is_null(row) {
                    true => SqlValue::Null,
                    false => column.value(row)?,
                });
            }
        }
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use app::{
        catalog::vocabulary::{BedClass, BedStatus, Scope},
        indicators::HospitalOccupancy,
    };
    use arrow_schema::Field;
    use chrono::NaiveDate;

    use super::*;
    use crate::store::tables::OccupancyHospital;

    fn rows() -> Vec<HospitalOccupancy> {
        let day = |d| NaiveDate::from_ymd_opt(2021, 3, d).unwrap();
        let counted = HospitalOccupancy {
            cnes: "0012345".into(),
            name: "Hospital \"Santa Casa\", ala 2".into(),
            uf: "SP".into(),
            city: "São Paulo".into(),
            city_ibge: Some("3550308".into()),
            date: day(7),
            bed_class: BedClass::Icu,
            scope: Scope::Covid,
            status: BedStatus::Counted,
            offered: Some(10),
            occupied: Some(9),
            occupied_raw: Some(12),
            rate: Some(0.9),
            over_capacity: true,
            change_7d: Some(-12.5),
            respirators: Some(3),
            last_report: day(6),
            days_since_report: 1,
        };
        let stale = HospitalOccupancy {
            name: String::new(),
            city_ibge: None,
            status: BedStatus::Stale,
            offered: None,
            occupied: None,
            occupied_raw: None,
            rate: None,
            over_capacity: false,
            change_7d: None,
            respirators: None,
            days_since_report: 15,
            ..counted.clone()
        };
        vec![counted, stale]
    }

    /// The rows as Arrow, typed as the hospitals' gold file holds them.
    fn arrow(rows: &[HospitalOccupancy]) -> ArrowRows {
        let nullable = [
            "city_ibge",
            "offered",
            "occupied",
            "occupied_raw",
            "rate",
            "change_7d",
            "respirators",
        ];
        let fields: Vec<_> = OccupancyHospital::COLUMNS
            .iter()
            .map(|&name| {
                let data_type = match name {
                    "date" | "last_report" => DataType::Date32,
                    "offered" | "occupied" | "occupied_raw" | "respirators"
                    | "days_since_report" => DataType::Int64,
                    "rate" | "change_7d" => DataType::Float64,
                    "over_capacity" => DataType::Boolean,
                    _ => DataType::Utf8,
                };
                Arc::new(Field::new(name, data_type, nullable.contains(&name)))
            })
            .collect();
        ArrowRows(serde_arrow::to_record_batch(&fields, &rows).unwrap())
    }

    fn csv<B: RowBatch<OccupancyHospital>>(batch: &B) -> String {
        let mut out = csv::Writer::from_writer(Vec::new());
        batch.write_csv(0..batch.rows(), &mut out).unwrap();
        String::from_utf8(out.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn arrow_batches_stage_exactly_as_their_rows() {
        let rows = rows();
        let arrow = arrow(&rows);
        let typed = csv(&rows.as_slice());
        assert_eq!(csv(&arrow), typed);
        assert!(
            typed.contains("\"Hospital \"\"Santa Casa\"\", ala 2\""),
            "{typed}"
        );
        assert!(
            typed.contains(",2021-03-07,icu,covid,counted,10,9,12,0.9,1,-12.5,3,2021-03-06,1\n"),
            "{typed}"
        );
        assert!(
            typed.contains(r",\N,\N,\N,\N,0,\N,\N,2021-03-06,15"),
            "{typed}"
        );
        assert_eq!(
            RowBatch::<OccupancyHospital>::values(&arrow, 0..2).unwrap(),
            RowBatch::<OccupancyHospital>::values(&rows.as_slice(), 0..2).unwrap()
        );
        assert_eq!(
            RowBatch::<OccupancyHospital>::values(&arrow, 1..2)
                .unwrap()
                .len(),
            18
        );
    }

    #[test]
    fn a_column_missing_or_of_another_type_is_an_error() {
        let arrow = arrow(&rows());
        let renamed = ArrowRows(arrow.0.project(&[0, 1]).unwrap());
        let error = RowBatch::<OccupancyHospital>::values(&renamed, 0..1).unwrap_err();
        assert!(error.to_string().contains("no column uf"), "{error}");
        let schema = Arc::new(arrow_schema::Schema::new(vec![Field::new(
            "cnes",
            DataType::Int32,
            false,
        )]));
        let wrong = RecordBatch::try_new(
            schema,
            vec![Arc::new(arrow_array::Int32Array::from(vec![1]))],
        )
        .unwrap();
        let error = RowBatch::<OccupancyHospital>::values(&ArrowRows(wrong), 0..1).unwrap_err();
        assert!(
            error.to_string().contains("column cnes is Int32"),
            "{error}"
        );
    }
}
