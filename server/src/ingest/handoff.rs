//! Rows handed from a gold computation to the store as they are computed:
//! a bounded channel of Arrow batches, so that the store's staging (its
//! `COPY`, the database's work on the other core) runs alongside the
//! computation instead of after it. The computation sends from a thread of
//! its own (it waits while the store is behind); the store reads a stream
//! that ends with an error unless the computation said it was done, so a
//! computation that stops half-way never commits half a table.

use std::{
    pin::Pin,
    task::{Context, Poll, ready},
};

use arrow_array::RecordBatch;
use futures_util::Stream;
use tokio::sync::mpsc::{Receiver, Sender, channel as bounded};

use crate::store::ArrowRows;

/// Batches in flight: the computation runs at most this far ahead of the
/// store.
const IN_FLIGHT: usize = 16;

enum Message {
    Batch(RecordBatch),
    Done,
}

/// The computation's end.
pub struct Handoff(Sender<Message>);

/// The store's end: the batches as they come, then an error if the
/// computation went away without saying it was done.
pub struct Handed {
    messages: Receiver<Message>,
    done: bool,
}

/// The store stopped taking rows (its staging failed; its error says why).
#[derive(Debug, thiserror::Error)]
#[error("the store stopped taking rows")]
pub struct StoreGone;

/// A new channel from a computation to the store.
pub fn channel() -> (Handoff, Handed) {
    let (send, messages) = bounded(IN_FLIGHT);
    (
        Handoff(send),
        Handed {
            messages,
            done: false,
        },
    )
}

impl Handoff {
    /// Hands a batch over, waiting while the store is [`IN_FLIGHT`]
    /// batches behind. Blocks its thread: call it from a thread outside
    /// the async runtime (the computation's own).
    pub fn send(&self, batch: RecordBatch) -> Result<(), StoreGone> {
        self.0
            .blocking_send(Message::Batch(batch))
            .map_err(|_| StoreGone)
    }

    /// Says every row was handed over: the store may commit them.
    pub async fn done(self) -> Result<(), StoreGone> {
        self.0.send(Message::Done).await.map_err(|_| StoreGone)
    }
}

impl Stream for Handed {
    type Item = anyhow::Result<ArrowRows>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        Poll::Ready(match ready!(self.messages.poll_recv(cx)) {
            Some(Message::Batch(batch)) => Some(Ok(ArrowRows(batch))),
            Some(Message::Done) => {
                self.done = true;
                None
            }
            None => {
                self.done = true;
                Some(Err(anyhow::anyhow!(
                    "the computation stopped before its last rows"
                )))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::Int64Array;
    use futures_util::StreamExt;

    use super::*;

    fn batch(values: &[i64]) -> RecordBatch {
        RecordBatch::try_from_iter([(
            "n",
            Arc::new(Int64Array::from(values.to_vec())) as arrow_array::ArrayRef,
        )])
        .unwrap()
    }

    async fn rows(handed: Handed) -> Vec<Result<usize, String>> {
        handed
            .map(|batch| batch.map(|b| b.0.num_rows()).map_err(|e| e.to_string()))
            .collect()
            .await
    }

    /// Sends batches of 1 to `count` rows from a thread of its own, and
    /// says it is done if `done`.
    fn send(handoff: Handoff, count: usize, done: bool) -> std::thread::JoinHandle<()> {
        let runtime = tokio::runtime::Handle::current();
        std::thread::spawn(move || {
            for n in 1..=count {
                handoff.send(batch(&vec![0; n])).unwrap();
            }
            if done {
                runtime.block_on(handoff.done()).unwrap();
            }
        })
    }

    #[tokio::test]
    async fn batches_pass_in_order_and_end_when_done() {
        let (handoff, handed) = channel();
        // More batches than fit in flight: the sender waits for the reader.
        let sending = send(handoff, 3 * IN_FLIGHT, true);
        let counts = rows(handed).await;
        sending.join().unwrap();
        assert_eq!(counts, (1..=3 * IN_FLIGHT).map(Ok).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn a_computation_gone_without_done_ends_in_an_error() {
        let (handoff, handed) = channel();
        let sending = send(handoff, 2, false);
        let counts = rows(handed).await;
        sending.join().unwrap();
        assert_eq!(
            counts,
            [
                Ok(1),
                Ok(2),
                Err("the computation stopped before its last rows".to_owned())
            ]
        );
    }

    #[tokio::test]
    async fn a_store_gone_stops_the_computation() {
        let (handoff, handed) = channel();
        drop(handed);
        let sending = std::thread::spawn(move || handoff.send(batch(&[1])).is_err());
        assert!(sending.join().unwrap(), "sending to a store gone fails");
    }
}
