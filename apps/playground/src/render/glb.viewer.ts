import { AmbientLight, Box3, Color, PerspectiveCamera, Scene, Vector3, WebGLRenderer } from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

/** Whether this browser can give a WebGL context at all (headless browsers without a GPU may not). */
export function webglAvailable(): boolean {
  try {
    const probe = document.createElement('canvas');
    return Boolean(probe.getContext('webgl2') ?? probe.getContext('webgl'));
  } catch {
    return false;
  }
}

export interface GlbView {
  dispose(): void;
}

/**
 * Focal's GLB point cloud (POINTS primitives with COLOR_0) in an orbitable three.js view, framed on its
 * bounding box. Rendering is on demand (on control changes), not a busy animation loop.
 */
export async function showGlb(container: HTMLElement, bytes: Uint8Array): Promise<GlbView> {
  const width = container.clientWidth || 480;
  const height = Math.round(width * 0.75);
  const renderer = new WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
  renderer.setPixelRatio(window.devicePixelRatio);
  renderer.setSize(width, height);
  renderer.domElement.dataset.testid = 'glb-canvas';
  container.replaceChildren(renderer.domElement);

  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const gltf = await new GLTFLoader().parseAsync(buffer, '');
  const scene = new Scene();
  scene.background = new Color(0x101418);
  scene.add(new AmbientLight(0xffffff, 1));
  scene.add(gltf.scene);

  const bounds = new Box3().setFromObject(gltf.scene);
  const centre = bounds.getCenter(new Vector3());
  const size = bounds.getSize(new Vector3()).length() || 1;
  const camera = new PerspectiveCamera(50, width / height, size / 1000, size * 10);
  // Focal's cloud is in camera coordinates looking down −z (glTF convention), so view it from the origin side.
  camera.position.copy(centre).add(new Vector3(0, 0, size * 0.9));
  camera.lookAt(centre);

  const controls = new OrbitControls(camera, renderer.domElement);
  controls.target.copy(centre);
  const render = () => renderer.render(scene, camera);
  controls.addEventListener('change', render);
  controls.update();
  render();
  return {
    dispose() {
      controls.dispose();
      renderer.dispose();
      container.replaceChildren();
    },
  };
}
