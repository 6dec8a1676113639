/*
 * A signal watcher on the event loop of the thread that asks for it, for worker threads, where
 * Node does not deliver process.on("SIGINT"). libuv does the signal handling (its handler is
 * async-signal-safe and wakes the loop); this only connects a uv_signal_t to a JavaScript callback.
 *
 * When the last watcher of a signal stops, libuv gives the signal its default disposition back,
 * so that a process that stops watching can still be ended by the signal.
 */
#include <node_api.h>
#include <uv.h>
#include <stdlib.h>

typedef struct {
  uv_signal_t handle;
  napi_threadsafe_function callback;
  napi_env env;
  int stopped;
} watch_t;

static void call_js(napi_env env, napi_value js_callback, void* context, void* data) {
  (void)context;
  (void)data;
  if (env == NULL || js_callback == NULL) return;
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  napi_call_function(env, undefined, js_callback, 0, NULL, NULL);
}

static void on_signal(uv_signal_t* handle, int signum) {
  (void)signum;
  watch_t* watch = (watch_t*)handle->data;
  napi_call_threadsafe_function(watch->callback, NULL, napi_tsfn_nonblocking);
}

static void on_close(uv_handle_t* handle) {
  free(handle->data);
}

static void stop_watch(watch_t* watch, napi_threadsafe_function_release_mode mode) {
  if (watch->stopped) return;
  watch->stopped = 1;
  uv_signal_stop(&watch->handle);
  napi_release_threadsafe_function(watch->callback, mode);
  uv_close((uv_handle_t*)&watch->handle, on_close);
}

/* The thread is ending (a worker's environment is torn down): its loop must have no open handle. */
static void cleanup(void* data) {
  stop_watch((watch_t*)data, napi_tsfn_abort);
}

static napi_value stop(napi_env env, napi_callback_info info) {
  void* data;
  napi_get_cb_info(env, info, NULL, NULL, NULL, &data);
  watch_t* watch = (watch_t*)data;
  if (!watch->stopped) {
    napi_remove_env_cleanup_hook(env, cleanup, watch);
    stop_watch(watch, napi_tsfn_release);
  }
  return NULL;
}

static napi_value watch(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t signum = 0;
  napi_valuetype type;
  if (argc < 2 || napi_get_value_int32(env, argv[0], &signum) != napi_ok || napi_typeof(env, argv[1], &type) != napi_ok || type != napi_function) {
    napi_throw_type_error(env, NULL, "watch(signal, callback): signal must be a number and callback a function");
    return NULL;
  }
  uv_loop_t* loop;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) {
    napi_throw_error(env, NULL, "watch: no event loop");
    return NULL;
  }
  watch_t* watch = calloc(1, sizeof(watch_t));
  if (watch == NULL) {
    napi_throw_error(env, NULL, "watch: out of memory");
    return NULL;
  }
  napi_value name;
  napi_create_string_utf8(env, "synchronicity-js-signals", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[1], NULL, name, 0, 1, NULL, NULL, NULL, call_js, &watch->callback) != napi_ok) {
    free(watch);
    napi_throw_error(env, NULL, "watch: could not create the callback");
    return NULL;
  }
  // Neither the callback nor the watcher keeps the thread alive.
  napi_unref_threadsafe_function(env, watch->callback);
  uv_signal_init(loop, &watch->handle);
  watch->handle.data = watch;
  int status = uv_signal_start(&watch->handle, on_signal, signum);
  if (status != 0) {
    napi_release_threadsafe_function(watch->callback, napi_tsfn_release);
    uv_close((uv_handle_t*)&watch->handle, on_close);
    napi_throw_error(env, NULL, uv_strerror(status));
    return NULL;
  }
  uv_unref((uv_handle_t*)&watch->handle);
  watch->env = env;
  napi_add_env_cleanup_hook(env, cleanup, watch);
  napi_value result, stop_fn;
  napi_create_object(env, &result);
  napi_create_function(env, "stop", NAPI_AUTO_LENGTH, stop, watch, &stop_fn);
  napi_set_named_property(env, result, "stop", stop_fn);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "watch", NAPI_AUTO_LENGTH, watch, NULL, &fn);
  napi_set_named_property(env, exports, "watch", fn);
  return exports;
}
