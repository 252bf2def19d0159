import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * A gRPC package from a .proto file of the Kubernetes release the kubelet was built with (copied into the control
 * plane's cache by build-control-plane.sh, never a copy of ours): snake_case fields kept, enums as their names,
 * int64 as decimal strings, absent fields filled with defaults.
 */
export function loadProtoPackage(protoFile: string): grpc.GrpcObject {
  const definition = protoLoader.loadSync(protoFile, {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  return grpc.loadPackageDefinition(definition);
}
