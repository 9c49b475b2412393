//! [`Pager`]: the items of a list operation, page after page, following `nextLink` safely.

use std::any::Any;
use std::collections::{HashSet, VecDeque};
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;

use crate::json::Decode;
use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, Stream, StreamExt as _, TryStreamExt as _};

use crate::client::{Client, LinkApiVersion};
use crate::error::{Error, ErrorKind};
use crate::request::Request;
use crate::response::RawResponse;

/// One page of a list operation. Implemented by the generated list models (`value` plus
/// `nextLink`).
pub trait Page: Decode {
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
    pages: BoxStream<'static, Result<Box<dyn Any + Send>, Error>>,
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
    decode: DecodePage,
}

/// A decoded page with its items' type erased, so that the paging loop below is compiled once
/// rather than once per list operation; [`Pager`] gives the items their type back.
struct ErasedPage {
    /// A `Vec` of the pager's item type.
    items: Box<dyn Any + Send>,
    next_link: Option<String>,
}

/// Decodes a response as the pager's page type (a [`decode_page`] instance).
type DecodePage = fn(&RawResponse, &str) -> Result<ErasedPage, Error>;

fn decode_page<P: Page>(response: &RawResponse, operation_id: &str) -> Result<ErasedPage, Error>
where
    P::Item: Send + 'static,
{
    response.json::<P>(operation_id).map(erase)
}

fn erase<P: Page>(page: P) -> ErasedPage
where
    P::Item: Send + 'static,
{
    let (items, next_link) = page.into_items();
    ErasedPage {
        items: Box::new(items),
        next_link,
    }
}

/// The items of an [`ErasedPage`] of a pager of `T`.
fn typed_items<T: 'static>(items: Box<dyn Any + Send>) -> Vec<T> {
    match items.downcast::<Vec<T>>() {
        Ok(items) => *items,
        Err(_) => unreachable!("a pager's pages hold its own item type"),
    }
}

/// Where the next page comes from.
enum Next {
    /// The response to the operation's request.
    First(Request),
    /// A page produced by other means: the result of a long-running operation.
    FirstPage(BoxFuture<'static, Result<ErasedPage, Error>>),
    /// The next link of the previous page.
    Link(String),
    Done,
}

impl Context {
    /// The context of a pager whose first request is `first` and whose pages `decode` reads.
    fn new(
        client: Client,
        first: &Request,
        next_request: Option<Box<NextRequest>>,
        follow_links: bool,
        decode: DecodePage,
    ) -> Self {
        Self {
            client,
            operation_id: first.operation_id.to_owned(),
            api_version: first.api_version.to_owned(),
            next_request,
            follow_links,
            decode,
        }
    }

    /// The page at `link`: a GET of the link (with the operation's api-version), or the request
    /// the next-page operation builds from it.
    async fn fetch(&self, link: &str) -> Result<ErasedPage, Error> {
        match &self.next_request {
            Some(next_request) => {
                let request = next_request(link)?;
                let operation_id = request.operation_id;
                let response = self.client.send(request).await?;
                (self.decode)(&response, operation_id)
            }
            None => {
                let response = self
                    .client
                    .get_link(
                        &self.operation_id,
                        "(nextLink)",
                        &self.api_version,
                        LinkApiVersion::Replace,
                        link,
                        &[200],
                    )
                    .await?;
                (self.decode)(&response, &self.operation_id)
            }
        }
    }

    /// The page after `next`, or `None` when paging is over; with where the page after it
    /// comes from.
    async fn next_page(
        &self,
        next: Next,
        link_is_new: bool,
    ) -> Option<(Result<Box<dyn Any + Send>, Error>, Next)> {
        let page = match next {
            Next::Done => return None,
            Next::First(request) => {
                let operation_id = request.operation_id;
                match self.client.send(request).await {
                    Ok(response) => (self.decode)(&response, operation_id),
                    Err(error) => Err(error),
                }
            }
            Next::FirstPage(page) => page.await,
            Next::Link(link) if !link_is_new => {
                let error = Error::new(ErrorKind::PagingLoop { next_link: link });
                return Some((Err(error), Next::Done));
            }
            Next::Link(link) => self.fetch(&link).await,
        };
        Some(match page {
            Ok(page) => {
                let link = page
                    .next_link
                    .filter(|link| self.follow_links && !link.is_empty());
                let next = match link {
                    Some(link) => Next::Link(link),
                    None => Next::Done,
                };
                (Ok(page.items), next)
            }
            Err(error) => (Err(error), Next::Done),
        })
    }
}

/// The pages `first` starts, each page's items erased: one stream type for every pager.
fn erased_pages(
    context: Context,
    first: Next,
) -> BoxStream<'static, Result<Box<dyn Any + Send>, Error>> {
    let context = Arc::new(context);
    let mut seen = HashSet::new();
    stream::unfold(first, move |next| {
        let context = Arc::clone(&context);
        let link_is_new = match &next {
            Next::Link(link) => seen.insert(link.clone()),
            _ => true,
        };
        async move { context.next_page(next, link_is_new).await }
    })
    .boxed()
}

/// The pages of a pager that only reports `error`.
fn failed_pages(error: Error) -> BoxStream<'static, Result<Box<dyn Any + Send>, Error>> {
    stream::iter([Err(error)]).boxed()
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
        Self::start(
            Context::new(client, &first, None, true, decode_page::<P>),
            Next::First(first),
        )
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
        let context = Context::new(
            client,
            &first,
            Some(Box::new(next_request)),
            true,
            decode_page::<P>,
        );
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
            decode: decode_page::<P>,
        };
        let first_page = Box::pin(async move { first_page.await.map(erase) });
        Self::start(context, Next::FirstPage(first_page))
    }

    /// A pager of one page, the response to `first`, for a list operation whose spec says it has
    /// no next link (`nextLinkName: null`) although its page model has one: a link in the page is
    /// not followed.
    #[doc(hidden)]
    pub fn single_page(client: Client, first: Request) -> Self {
        Self::start(
            Context::new(client, &first, None, false, decode_page::<P>),
            Next::First(first),
        )
    }

    fn start(context: Context, first: Next) -> Self {
        Self {
            pages: erased_pages(context, first),
            buffered: VecDeque::new(),
        }
    }

    /// A pager that yields `error` and ends, sending nothing: how a list operation reports an
    /// invalid parameter while still returning a pager.
    #[doc(hidden)]
    pub fn from_error(error: Error) -> Self {
        Self {
            pages: failed_pages(error),
            buffered: VecDeque::new(),
        }
    }

    /// The remaining items page by page (items already taken from this pager are not repeated).
    pub fn pages(self) -> impl Stream<Item = Result<Vec<P::Item>, Error>> + Send + 'static {
        let buffered: Vec<P::Item> = self.buffered.into();
        let head = (!buffered.is_empty()).then_some(Ok(buffered));
        stream::iter(head).chain(self.pages.map_ok(typed_items::<P::Item>))
    }

    /// All remaining items of all pages.
    pub async fn into_vec(self) -> Result<Vec<P::Item>, Error> {
        self.try_collect().await
    }
}

// The pager never pins its fields in place, whatever the item type.
impl<P: Page> Unpin for Pager<P> {}

impl<P: Page> Stream for Pager<P>
where
    P::Item: 'static,
{
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
                Poll::Ready(Some(Ok(items))) => this.buffered.extend(typed_items::<P::Item>(items)),
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
