package io.cairn.webdav.method;

import io.cairn.webdav.DavException;
import io.milton.http.Filter;
import io.milton.http.FilterChain;
import io.milton.http.Handler;
import io.milton.http.HttpManager;
import io.milton.http.Request;
import io.milton.http.Response;
import io.milton.http.exceptions.MiltonException;

/**
 * The last filter of milton's chain, in place of milton's StandardFilter: runs the method's
 * handler, or answers 405 with the methods there are. Failures fly on to {@link ErrorFilter}.
 */
public final class DispatchFilter implements Filter {

  @Override
  public void process(FilterChain chain, Request request, Response response) {
    HttpManager manager = chain.getHttpManager();
    Handler handler = manager.getMethodHandler(request.getMethod());
    if (handler == null) {
      response.setNonStandardHeader("Allow", DavMethod.allowAll());
      throw new DavException(405, "method not allowed here");
    }
    try {
      handler.process(manager, request, response);
    } catch (MiltonException e) {
      throw new ErrorFilter.MiltonFailure(e);
    }
  }
}
