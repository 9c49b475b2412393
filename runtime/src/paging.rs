//! [`Pager`]: the items of a list operation, page after page, following `nextLink` safely.

use std::collections::{HashSet, VecDeque};
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, Stream, StreamExt as _, TryStreamExt as _};
use serde::de::DeserializeOwned;

use crate::client::{Client, LinkApiVersion};
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

/// Builds the request for the next page from a page's next link, for a list operation whose spec
/// names the operation that fetches further pages (`x-ms-pageable.operationName`).
type NextRequest = dyn Fn(&str) -> Result<Request, Error> + Send + Sync;

/// What every page request of one pager shares.
struct Context {
    client: Client,
    operation_id: String,
    api_version: String,
    next_request: Option<Box<NextRequest>>,
    /// `false` for a list operation of one page, whose page may hold a next link all the same.
    follow_links: bool,
}

/// Where the next page comes from.
enum Next<P> {
    /// The response to the operation's request.
    First(Request),
    /// A page produced by other means: the result of a long-running operation.
    FirstPage(BoxFuture<'static, Result<P, Error>>),
    /// The next link of the previous page.
    Link(String),
    Done,
}

impl Context {
    /// The page at `link`: a GET of the link (with the operation's api-version), or the request
    /// the next-page operation builds from it.
    async fn fetch<P: Page>(&self, link: &str) -> Result<P, Error> {
        match &self.next_request {
            Some(next_request) => {
                let request = next_request(link)?;
                let operation_id = request.operation_id;
                self.client.send(request).await?.json(operation_id)
            }
            None => self
                .client
                .get_link(
                    &self.operation_id,
                    "(nextLink)",
                    &self.api_version,
                    LinkApiVersion::Replace,
                    link,
                    &[200],
                )
                .await?
                .json(&self.operation_id),
        }
    }
}

impl<P> Pager<P>
where
    P: Page + Send + 'static,
    P::Item: Send + 'static,
{
    /// A pager whose first page is the response to `first`; further pages are GETs of the
    /// `nextLink` of each page (with `first`'s operation id and API version, which replaces any
    /// `api-version` the link has).
    #[doc(hidden)]
    pub fn new(client: Client, first: Request) -> Self {
        let context = Context {
            client,
            operation_id: first.operation_id.to_owned(),
            api_version: first.api_version.to_owned(),
            next_request: None,
            follow_links: true,
        };
        Self::start(context, Next::First(first))
    }

    /// A pager whose first page is the response to `first`; further pages are the responses to
    /// the requests `next_request` builds from each page's next link (the next-page operation
    /// the spec names, called with the link and the first call's arguments).
    #[doc(hidden)]
    pub fn with_next_request(
        client: Client,
        first: Request,
        next_request: impl Fn(&str) -> Result<Request, Error> + Send + Sync + 'static,
    ) -> Self {
        let context = Context {
            client,
            operation_id: first.operation_id.to_owned(),
            api_version: first.api_version.to_owned(),
            next_request: Some(Box::new(next_request)),
            follow_links: true,
        };
        Self::start(context, Next::First(first))
    }

    /// A pager whose first page is what `first_page` produces (the final result of a
    /// long-running operation); further pages are GETs of each page's next link.
    pub(crate) fn after(
        client: Client,
        operation_id: String,
        api_version: String,
        first_page: BoxFuture<'static, Result<P, Error>>,
    ) -> Self {
        let context = Context {
            client,
            operation_id,
            api_version,
            next_request: None,
            follow_links: true,
        };
        Self::start(context, Next::FirstPage(first_page))
    }

    /// A pager of one page, the response to `first`, for a list operation whose spec says it has
    /// no next link (`nextLinkName: null`) although its page model has one: a link in the page is
    /// not followed.
    #[doc(hidden)]
    pub fn single_page(client: Client, first: Request) -> Self {
        let context = Context {
            client,
            operation_id: first.operation_id.to_owned(),
            api_version: first.api_version.to_owned(),
            next_request: None,
            follow_links: false,
        };
        Self::start(context, Next::First(first))
    }

    fn start(context: Context, first: Next<P>) -> Self {
        let context = Arc::new(context);
        let mut seen = HashSet::new();
        let pages = stream::unfold(first, move |next| {
            let context = Arc::clone(&context);
            let link_is_new = match &next {
                Next::Link(link) => seen.insert(link.clone()),
                _ => true,
            };
            async move {
                let page = match next {
                    Next::Done => return None,
                    Next::First(request) => {
                        let operation_id = request.operation_id;
                        match context.client.send(request).await {
                            Ok(response) => response.json::<P>(operation_id),
                            Err(error) => Err(error),
                        }
                    }
                    Next::FirstPage(page) => page.await,
                    Next::Link(link) if !link_is_new => {
                        let error = Error::new(ErrorKind::PagingLoop { next_link: link });
                        return Some((Err(error), Next::Done));
                    }
                    Next::Link(link) => context.fetch::<P>(&link).await,
                };
                match page {
                    Ok(page) => {
                        let (items, link) = page.into_items();
                        let link = link.filter(|link| context.follow_links && !link.is_empty());
                        let next = match link {
                            Some(link) => Next::Link(link),
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

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<Self::Item>> {
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
