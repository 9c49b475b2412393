//! [`Pager`]: the items of a list operation, page after page, following `nextLink` safely;
//! [`ItemPage`]: one page with its headers and continuation token, from which a pager resumes.

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
use crate::response::{Headers, RawResponse};

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
/// It is a [`Stream`] of items; [`Pager::pages`] gives whole [`ItemPage`]s instead (with their
/// headers and continuation token) and [`Pager::into_vec`] collects everything.
/// [`Pager::with_continuation_token`] starts from the page a token names instead of the first.
/// Paging stops at the first error: a `nextLink` to another scheme, host or port is refused with
/// [`ErrorKind::UntrustedUrl`] before anything is sent, and a `nextLink` seen before ends with
/// [`ErrorKind::PagingLoop`].
pub struct Pager<P: Page> {
    erased: ErasedPager,
    buffered: VecDeque<P::Item>,
}

/// The part of a [`Pager`] that does not depend on its page type, so that building one is
/// compiled once rather than once per list operation.
struct ErasedPager {
    /// What every page request shares; `None` for a pager that only reports an error.
    context: Option<Arc<Context>>,
    pages: BoxStream<'static, Result<ErasedPage, Error>>,
    /// The headers and continuation token of the page the buffered items come from.
    current: Option<(Headers, Option<String>)>,
}

/// One page of a list operation: its items, the headers of the response that carried it, and
/// the continuation token of the pages after it.
#[derive(Debug, Clone)]
pub struct ItemPage<T> {
    items: Vec<T>,
    headers: Headers,
    continuation_token: Option<String>,
}

impl<T> ItemPage<T> {
    /// The page's items.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The page's items, taken out.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// The headers of the response that carried the page (`x-ms-request-id`...).
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// Where the pages after this one start: an opaque token for
    /// [`Pager::with_continuation_token`] (the service's next link). `None` on the last page.
    pub fn continuation_token(&self) -> Option<&str> {
        self.continuation_token.as_deref()
    }
}

impl<T> IntoIterator for ItemPage<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
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
    /// The page's next link, as the page says; once paging has read it, the link it follows
    /// (none on the last page, or for a pager of one page).
    next_link: Option<String>,
    headers: Headers,
}

/// Decodes a response as the pager's page type (a [`decode_page`] instance).
type DecodePage = fn(&RawResponse, &str) -> Result<ErasedPage, Error>;

fn decode_page<P: Page>(response: &RawResponse, operation_id: &str) -> Result<ErasedPage, Error>
where
    P::Item: Send + 'static,
{
    let page = response.json::<P>(operation_id)?;
    Ok(erase(page, response.headers().clone()))
}

fn erase<P: Page>(page: P, headers: Headers) -> ErasedPage
where
    P::Item: Send + 'static,
{
    let (items, next_link) = page.into_items();
    ErasedPage {
        items: Box::new(items),
        next_link,
        headers,
    }
}

/// The typed page of an [`ErasedPage`] of a pager of `T`.
fn typed_page<T: 'static>(page: ErasedPage) -> ItemPage<T> {
    ItemPage {
        items: typed_items(page.items),
        headers: page.headers,
        continuation_token: page.next_link,
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
    ) -> Option<(Result<ErasedPage, Error>, Next)> {
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
            Ok(mut page) => {
                page.next_link = page
                    .next_link
                    .filter(|link| self.follow_links && !link.is_empty());
                let next = match &page.next_link {
                    Some(link) => Next::Link(link.clone()),
                    None => Next::Done,
                };
                (Ok(page), next)
            }
            Err(error) => (Err(error), Next::Done),
        })
    }
}

/// The pages `first` starts, each page's items erased: one stream type for every pager.
fn erased_pages(
    context: Arc<Context>,
    first: Next,
) -> BoxStream<'static, Result<ErasedPage, Error>> {
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

impl ErasedPager {
    /// The pages of `context` from `first` on.
    fn start(context: Context, first: Next) -> Self {
        Self::start_shared(Arc::new(context), first)
    }

    /// [`ErasedPager::start`] with a context that pagers share.
    fn start_shared(context: Arc<Context>, first: Next) -> Self {
        Self::with_pages(Some(Arc::clone(&context)), erased_pages(context, first))
    }

    /// The pages of the list whose first page is the response to `first`, read by `decode`;
    /// further pages as [`Context::fetch`] gets them (unless `follow_links` is `false`).
    fn first(
        client: Client,
        first: Request,
        next_request: Option<Box<NextRequest>>,
        follow_links: bool,
        decode: DecodePage,
    ) -> Self {
        let context = Context::new(client, &first, next_request, follow_links, decode);
        Self::start(context, Next::First(first))
    }

    /// A pager that only reports `error`.
    fn failed(error: Error) -> Self {
        Self::with_pages(None, stream::iter([Err(error)]).boxed())
    }

    fn with_pages(
        context: Option<Arc<Context>>,
        pages: BoxStream<'static, Result<ErasedPage, Error>>,
    ) -> Self {
        Self {
            context,
            pages,
            current: None,
        }
    }

    /// [`Pager::with_continuation_token`], before the pager gives the pages their type.
    fn with_continuation_token(self, token: String) -> Self {
        let Some(context) = self.context else {
            return self;
        };
        let refused = if token.is_empty() {
            Some(Error::new(ErrorKind::InvalidRequest {
                operation_id: context.operation_id.clone(),
                reason: "the continuation token is empty".to_owned(),
            }))
        } else {
            context.client.resolve_link(&token).err()
        };
        match refused {
            Some(error) => Self {
                context: Some(context),
                ..Self::failed(error)
            },
            None => Self::start_shared(context, Next::Link(token)),
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
        Self::typed(ErasedPager::first(
            client,
            first,
            None,
            true,
            decode_page::<P>,
        ))
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
        let next_request: Box<NextRequest> = Box::new(next_request);
        Self::typed(ErasedPager::first(
            client,
            first,
            Some(next_request),
            true,
            decode_page::<P>,
        ))
    }

    /// A pager whose first page is what `first_page` produces (the final result of a
    /// long-running operation); further pages are GETs of each page's next link.
    pub(crate) fn after(
        client: Client,
        operation_id: String,
        api_version: String,
        first_page: BoxFuture<'static, Result<(P, Headers), Error>>,
    ) -> Self {
        let context = Context {
            client,
            operation_id,
            api_version,
            next_request: None,
            follow_links: true,
            decode: decode_page::<P>,
        };
        let first_page = Box::pin(async move {
            let (page, headers) = first_page.await?;
            Ok(erase(page, headers))
        });
        Self::typed(ErasedPager::start(context, Next::FirstPage(first_page)))
    }

    /// A pager of one page, the response to `first`, for a list operation whose spec says it has
    /// no next link (`nextLinkName: null`) although its page model has one: a link in the page is
    /// not followed.
    #[doc(hidden)]
    pub fn single_page(client: Client, first: Request) -> Self {
        Self::typed(ErasedPager::first(
            client,
            first,
            None,
            false,
            decode_page::<P>,
        ))
    }

    /// A pager that yields `error` and ends, sending nothing: how a list operation reports an
    /// invalid parameter while still returning a pager.
    #[doc(hidden)]
    pub fn from_error(error: Error) -> Self {
        Self::typed(ErasedPager::failed(error))
    }

    /// The pager of `erased`'s pages, none of their items taken yet.
    fn typed(erased: ErasedPager) -> Self {
        Self {
            erased,
            buffered: VecDeque::new(),
        }
    }

    /// This list from the page `token` names (an [`ItemPage::continuation_token`] of the same
    /// list operation, maybe saved by another process) instead of from the first page; what the
    /// pager had fetched is dropped. Nothing is sent until the pager is polled.
    ///
    /// A token naming another scheme, host or port than the client's endpoint is refused with
    /// [`ErrorKind::UntrustedUrl`] as the pager's first item, and an empty one with
    /// [`ErrorKind::InvalidRequest`], before anything is sent. A pager whose parameters were
    /// invalid keeps reporting that.
    pub fn with_continuation_token(self, token: impl Into<String>) -> Self {
        Self::typed(self.erased.with_continuation_token(token.into()))
    }

    /// The remaining pages (items already taken from this pager are not repeated: the page
    /// they came from is given with the rest of its items).
    pub fn pages(self) -> impl Stream<Item = Result<ItemPage<P::Item>, Error>> + Send + 'static {
        let head = match self.erased.current {
            Some((headers, continuation_token)) if !self.buffered.is_empty() => {
                Some(Ok(ItemPage {
                    items: self.buffered.into(),
                    headers,
                    continuation_token,
                }))
            }
            _ => None,
        };
        stream::iter(head).chain(self.erased.pages.map_ok(typed_page::<P::Item>))
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
            match this.erased.pages.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(page))) => {
                    this.buffered.extend(typed_items::<P::Item>(page.items));
                    this.erased.current = Some((page.headers, page.next_link));
                }
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
