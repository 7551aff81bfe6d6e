# Link gRPC core (with everything it needs), protobuf-c and libuv statically
# into the shipped binaries (the analyzer and the language host).
#
# Why: the engine waits for the port line, and ~77% of a dynamically linked
# start is the dynamic linker resolving libgrpc's and abseil's symbols (about
# 20M instructions, callgrind). Linked statically, the analyzer prints its
# port in a third of the time, and the shared libraries' resident pages no
# longer count against it. cJSON, libm and libc stay shared (Debian ships no
# static cJSON; the others are always there).
#
# Tests, fuzzers and tools keep the shared libraries: they would each become
# a 16 MB link for nothing. Sanitizer builds keep them too.
#
# Sets PC_STATIC_RUNTIME_OK and provides pc_link_runtime(<target>), which
# links a final executable against pc_core with the chosen runtime.

option(PC_STATIC_GRPC "Link gRPC, protobuf-c and libuv statically into the shipped binaries" ON)

set(PC_STATIC_RUNTIME_OK OFF)
if(PC_STATIC_GRPC AND NOT PC_SANITIZE AND NOT PC_FUZZ)
  # System libraries pkg-config lists that stay shared.
  set(_pc_shared_sys dl rt m pthread atomic)
  set(_pc_static_paths "")
  set(_pc_missing "")
  foreach(_lib IN LISTS GRPC_STATIC_LIBRARIES PROTOBUFC_STATIC_LIBRARIES LIBUV_STATIC_LIBRARIES)
    if(_lib IN_LIST _pc_shared_sys OR _lib IN_LIST _pc_seen)
      continue()
    endif()
    list(APPEND _pc_seen ${_lib})
    # Debian names libuv's archive libuv_a.a.
    find_library(PC_STATIC_LIB_${_lib} NAMES lib${_lib}.a lib${_lib}_a.a
      HINTS ${GRPC_STATIC_LIBRARY_DIRS} ${PROTOBUFC_STATIC_LIBRARY_DIRS} ${LIBUV_STATIC_LIBRARY_DIRS}
      NO_CACHE)
    if(PC_STATIC_LIB_${_lib})
      list(APPEND _pc_static_paths ${PC_STATIC_LIB_${_lib}})
    else()
      list(APPEND _pc_missing ${_lib})
    endif()
  endforeach()
  if(_pc_missing)
    message(STATUS "static runtime: no static archive for ${_pc_missing}; linking gRPC shared")
  else()
    include(CheckLanguage)
    check_language(CXX)
    if(CMAKE_CXX_COMPILER)
      enable_language(CXX)
      set(PC_STATIC_RUNTIME_OK ON)
      add_library(pc_runtime_static INTERFACE)
      # gRPC core is C++ inside: its runtime goes in statically as well.
      target_link_libraries(pc_runtime_static INTERFACE
        -Wl,--start-group ${_pc_static_paths} -Wl,--end-group
        PkgConfig::CJSON Threads::Threads dl rt atomic m)
      target_link_options(pc_runtime_static INTERFACE -static-libstdc++ -static-libgcc)
      message(STATUS "static runtime: gRPC, protobuf-c and libuv linked statically into the binaries")
    else()
      message(STATUS "static runtime: no C++ compiler to link gRPC's C++ runtime; linking gRPC shared")
    endif()
  endif()
endif()

# The shared runtime, carried by pc_core and pc_proto unless the consuming
# target asks for the static one (target property PC_STATIC_RUNTIME).
set(PC_SHARED_RUNTIME_IF "$<NOT:$<BOOL:$<TARGET_PROPERTY:PC_STATIC_RUNTIME>>>")

function(pc_link_runtime tgt)
  target_link_libraries(${tgt} PRIVATE pc_core)
  if(PC_STATIC_RUNTIME_OK)
    set_target_properties(${tgt} PROPERTIES PC_STATIC_RUNTIME ON LINKER_LANGUAGE CXX)
    target_link_libraries(${tgt} PRIVATE pc_runtime_static)
  endif()
endfunction()
