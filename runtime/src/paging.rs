//! [`Pager`]: the items of a list operation, page after page, following `nextLink` safely.

use std::collections::{HashSet, VecDeque};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{self, BoxStream, Stream, StreamExt as _, TryStreamExt as _};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::request::Request;

/// One page of a list operation. Implemented by the generated list models (`value` plus
/// `nextLink`).
pub trait Page: DeserializeOwned {
    /// The type of the listed items.
    type Item;

    /// Splits the page into its items and the link to the next page (`None`, or an empty link,
    /// when this is the last page).
    fn into_items(self) -> (Vec<Self::Item>, Option<String>);
}

/// The items of a list operation, fetched page by page as the stream is polled.
///
/// It is a [`Stream`] of items; [`Pager::pages`] gives whole pages instead and
/// [`Pager::into_vec`] collects everything. Paging stops at the first error: a `nextLink` to
/// another scheme, host or port is refused with [`ErrorKind::UntrustedUrl`] before anything is
/// sent, and a `nextLink` seen before ends with [`ErrorKind::PagingLoop`].
pub struct Pager<P: Page> {
    pages: BoxStream<'static, Result<Vec<P::Item>, Error>>,
    buffered: VecDeque<P::Item>,
}

/// Where the next page comes from.
enum Next {
    First(Request),
    Link(Request, String),
    Done,
}

impl<P> Pager<P>
where
    P: Page + Send + 'static,
    P::Item: Send + 'static,
{
    /// A pager whose first page is the response to `first`; further pages are GETs of the
    /// `nextLink` of each page (with `first`'s operation id and API version).
    #[doc(hidden)]
    pub fn new(client: Client, first: Request) -> Self {
        let mut seen = HashSet::new();
        let pages = stream::unfold(Next::First(first), move |next| {
            let client = client.clone();
            let link_is_new = match &next {
                Next::Link(_, link) => seen.insert(link.clone()),
                _ => true,
            };
            async move {
                let (request, response) = match next {
                    Next::Done => return None,
                    Next::First(request) => {
                        let response = client.send(request.clone()).await;
                        (request, response)
                    }
                    Next::Link(_, link) if !link_is_new => {
                        let error = Error::new(ErrorKind::PagingLoop { next_link: link });
                        return Some((Err(error), Next::Done));
                    }
                    Next::Link(request, link) => {
                        let response = client
                            .get_link(
                                request.operation_id,
                                "(nextLink)",
                                request.api_version,
                                &link,
                                &[200],
                            )
                            .await;
                        (request, response)
                    }
                };
                match response.and_then(|response| response.json::<P>(request.operation_id)) {
                    Ok(page) => {
                        let (items, link) = page.into_items();
                        let next = match link.filter(|link| !link.is_empty()) {
                            Some(link) => Next::Link(request, link),
                            None => Next::Done,
                        };
                        Some((Ok(items), next))
                    }
                    Err(error) => Some((Err(error), Next::Done)),
                }
            }
        });
        Self {
            pages: pages.boxed(),
            buffered: VecDeque::new(),
        }
    }

    /// A pager that yields `error` and ends, sending nothing: how a list operation reports an
    /// invalid parameter while still returning a pager.
    #[doc(hidden)]
    pub fn from_error(error: Error) -> Self {
        Self {
            pages: stream::iter([Err(error)]).boxed(),
            buffered: VecDeque::new(),
        }
    }

    /// The remaining items page by page (items already taken from this pager are not repeated).
    pub fn pages(self) -> impl Stream<Item = Result<Vec<P::Item>, Error>> + Send + 'static {
        let buffered: Vec<P::Item> = self.buffered.into();
        let head = (!buffered.is_empty()).then_some(Ok(buffered));
        stream::iter(head).chain(self.pages)
    }

    /// All remaining items of all pages.
    pub async fn into_vec(self) -> Result<Vec<P::Item>, Error> {
        self.try_collect().await
    }
}

// The pager never pins its fields in place, whatever the item type.
impl<P: Page> Unpin for Pager<P> {}

impl<P: Page> Stream for Pager<P> {
    type Item = Result<P::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match this.pages.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(items))) => this.buffered.extend(items),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<P: Page> std::fmt::Debug for Pager<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pager")
            .field("buffered", &self.buffered.len())
            .finish_non_exhaustive()
    }
}
