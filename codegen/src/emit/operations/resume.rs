//! The `resume_*` method of each long-running operation: the operation's poller, rebuilt from a
//! resume token, with the result type the operation's `begin_*` method has.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::call::long_running_result;
use crate::emit::docs::{code, doc_attrs};
use crate::plan::{OperationPlan, Plan, ResultKind};

/// The `resume_*` method of `operation`, if it is long-running.
pub(super) fn emit_resume(plan: &Plan<'_>, operation: &OperationPlan<'_>) -> Option<TokenStream> {
    let ResultKind::LongRunning(long_running) = &operation.result else {
        return None;
    };
    let ident = format_ident!("{}", long_running.resume_method);
    let result = long_running_result(plan, long_running);
    let operation_id = &operation.op.id;
    let begin = &operation.method;
    let doc = doc_attrs(&[
        format!(
            "Continues a [`{begin}`](Self::{begin}) operation ({}) from a token its poller gave \
             with [`Poller::resume_token`], in this or another process. Nothing is sent until \
             the poller is polled; the first poll is immediate.",
            code(operation_id)
        ),
        "A token made by another operation, or of a format version this crate does not read, \
         is an error of kind [`ErrorKind::ResumeToken`](crate::ErrorKind::ResumeToken) \
         saying so; a token whose URLs name another host than the client's endpoint, of kind \
         [`ErrorKind::UntrustedUrl`](crate::ErrorKind::UntrustedUrl)."
            .to_owned(),
    ]);
    Some(quote! {
        #doc
        pub fn #ident(&self, token: &str) -> Result<Poller<#result>, Error> {
            Poller::resume(self.client.clone(), #operation_id, token)
        }
    })
}
