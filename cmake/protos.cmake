# pc_generate_protos(<out-var> PROTOS <ours...> WELL_KNOWN <google...>)
#
# Generates protobuf-c code for our proto/ files and for the well-known types
# Debian ships in libprotobuf-dev. protoc-c 1.4 rejects proto3 `optional`, so
# each `optional T x = N;` is first rewritten into `oneof _x { T x = N; }`,
# which is identical on the wire and keeps field presence.
set(PC_GEN_DIR ${CMAKE_BINARY_DIR}/gen)
set(PC_PROTO_STAGE ${CMAKE_BINARY_DIR}/proto)
find_path(PC_WKT_DIR google/protobuf/struct.proto PATHS /usr/include REQUIRED)

function(pc_generate_protos out_var)
  cmake_parse_arguments(ARG "" "" "PROTOS;WELL_KNOWN" ${ARGN})
  set(srcs)
  set(staged)
  foreach(p IN LISTS ARG_PROTOS)
    if(NOT EXISTS ${CMAKE_SOURCE_DIR}/proto/${p})
      continue()
    endif()
    add_custom_command(
      OUTPUT ${PC_PROTO_STAGE}/${p}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${PC_PROTO_STAGE}
      COMMAND ${CMAKE_COMMAND} -DIN=${CMAKE_SOURCE_DIR}/proto/${p} -DOUT=${PC_PROTO_STAGE}/${p}
              -P ${CMAKE_SOURCE_DIR}/cmake/rewrite-optional.cmake
      DEPENDS ${CMAKE_SOURCE_DIR}/proto/${p} ${CMAKE_SOURCE_DIR}/cmake/rewrite-optional.cmake
      COMMENT "Rewriting proto3 optional fields in ${p}")
    list(APPEND staged ${PC_PROTO_STAGE}/${p})
  endforeach()
  set(all_protos)
  set(outputs)
  foreach(p IN LISTS ARG_PROTOS ARG_WELL_KNOWN)
    if(p IN_LIST ARG_PROTOS AND NOT EXISTS ${CMAKE_SOURCE_DIR}/proto/${p})
      continue()
    endif()
    string(REGEX REPLACE "\\.proto$" "" base ${p})
    list(APPEND outputs ${PC_GEN_DIR}/${base}.pb-c.c ${PC_GEN_DIR}/${base}.pb-c.h)
    list(APPEND srcs ${PC_GEN_DIR}/${base}.pb-c.c)
    list(APPEND all_protos ${p})
  endforeach()
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PC_GEN_DIR}
    COMMAND ${PROTOC_C} -I${PC_PROTO_STAGE} -I${PC_WKT_DIR} --c_out=${PC_GEN_DIR} ${all_protos}
    DEPENDS ${staged}
    COMMENT "Generating protobuf-c code")
  set(${out_var} ${srcs} PARENT_SCOPE)
endfunction()
